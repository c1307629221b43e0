using System.Text.RegularExpressions;

namespace OtelLab.Sim.Kubelet;

/// <summary>Starts a container in process: the component's entry point, given the container's context.</summary>
public delegate Task<IContainerProcess> ContainerFactory(ContainerContext context, CancellationToken cancellationToken);

/// <summary>
/// Runs containers in this process, by image: components register a factory for an image pattern
/// (<c>otel/opentelemetry-collector-contrib:*</c>, <c>*/target-allocator:*</c>; <c>*</c> matches any text). The
/// first registration that matches wins.
/// </summary>
public sealed class InProcessContainerRuntime : IContainerRuntime
{
    private readonly List<(string Pattern, Regex Match, ContainerFactory Factory)> _factories = [];
    private readonly Lock _gate = new();

    public void Register(string imagePattern, ContainerFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePattern);
        ArgumentNullException.ThrowIfNull(factory);
        var regex = new Regex("^" + Regex.Escape(imagePattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
        lock (_gate)
        {
            _factories.Add((imagePattern, regex, factory));
        }
    }

    /// <summary>Registers a main function: the container runs until it returns (its exit code) or is stopped (exit 143, SIGTERM).</summary>
    public void Register(string imagePattern, Func<ContainerContext, CancellationToken, Task<int>> main) =>
        Register(imagePattern, (context, _) => Task.FromResult<IContainerProcess>(new MainFunctionProcess(context, main)));

    public bool CanRun(string image) => Find(image) is not null;

    public Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var factory = Find(context.Container.Image) ?? throw new InvalidOperationException($"no in-process runtime registered for image {context.Container.Image}");
        return factory(context, cancellationToken);
    }

    private ContainerFactory? Find(string image)
    {
        lock (_gate)
        {
            return _factories.FirstOrDefault(f => f.Match.IsMatch(image)).Factory;
        }
    }

    private sealed class MainFunctionProcess : IContainerProcess
    {
        private readonly CancellationTokenSource _stop = new();

        public MainFunctionProcess(ContainerContext context, Func<ContainerContext, CancellationToken, Task<int>> main)
        {
            Exited = RunAsync(context, main);
        }

        public Task<int> Exited { get; }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Exited.ConfigureAwait(false);
            }
            finally
            {
                _stop.Dispose();
            }
        }

        private async Task<int> RunAsync(ContainerContext context, Func<ContainerContext, CancellationToken, Task<int>> main)
        {
            await Task.Yield();
            try
            {
                return await main(context, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return 143;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A crash: the process dies with its message on stderr, exit code 2 (a Go panic's).
                context.Log.Write($"panic: {e.GetType().Name}: {e.Message}");
                return 2;
            }
        }
    }
}
