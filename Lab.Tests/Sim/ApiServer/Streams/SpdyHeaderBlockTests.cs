using OtelLab.Sim.ApiServer.Internal.Streams;

namespace OtelLab.Tests.Sim.ApiServer.Streams;

[Trait("Category", "Unit")]
public sealed class SpdyHeaderBlockTests
{
    // Two SYN_STREAM header blocks as a SPDY/3 client sends them: one zlib stream primed with the SPDY/3 dictionary,
    // each block sync-flushed (made with Python's zlib.compressobj(level 9, zdict=dictionary), as Go's
    // zlib.NewWriterLevelDict(BestCompression, dictionary) does).
    private const string First = "ePnjxqfCAiU6cDorKUpNzIUWJaypoICGFMtF4BxgYWBhAKQ5iyDRmAlK3owGAAAAAP//";
    private const string Second = "wqoZVA4lEtYLAAAA//8=";

    [Fact]
    public async Task Reads_dictionary_compressed_blocks_of_one_stream_in_order()
    {
        await using var reader = new SpdyHeaderBlock();

        var first = await reader.ReadAsync(Convert.FromBase64String(First), TestContext.Current.CancellationToken);
        var second = await reader.ReadAsync(Convert.FromBase64String(Second), TestContext.Current.CancellationToken);

        Assert.Equal(("error", "8080", "0"), (first["streamType"], first["port"], first["requestID"]));
        Assert.Equal(("data", "8080", "0"), (second["streamType"], second["port"], second["requestID"]));
    }

    [Fact]
    public async Task Written_blocks_read_back_through_a_reader_of_the_same_stream()
    {
        var writer = new SpdyHeaderBlock();
        await using var reader = new SpdyHeaderBlock();

        var one = writer.Write(new Dictionary<string, string> { ["streamType"] = "stdout" });
        var two = writer.Write(new Dictionary<string, string>());

        Assert.Equal("stdout", (await reader.ReadAsync(one, TestContext.Current.CancellationToken))["streamtype"]);
        Assert.Empty(await reader.ReadAsync(two, TestContext.Current.CancellationToken));
        await writer.DisposeAsync();
    }
}
