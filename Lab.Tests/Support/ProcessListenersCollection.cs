namespace OtelLab.Tests.Support;

/// <summary>
/// Tests that judge every socket this test process listens on (a lab leaves none behind) run alone, after the
/// parallel ones: any other lab of the process would show there.
/// </summary>
[CollectionDefinition(nameof(ProcessListenersCollection), DisableParallelization = true)]
public sealed class ProcessListenersCollection;
