using OtelLab.AppHost;
using OtelLab.AppHost.Commands;
using OtelLab.Tests.Sim.TargetAllocation;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

[Collection(nameof(AllocateCommandTests))] // StandardInput is static
[Trait("Category", "Unit")]
public sealed class AllocateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await LabCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }

    private string WriteTargets(IEnumerable<string> lines)
    {
        return _dir.Write("targets.txt", string.Join('\n', lines) + "\n");
    }

    [Fact]
    public async Task Prints_each_target_with_the_collector_go_assigns_in_input_order()
    {
        // Given the golden targets of the 3-collector set
        var rows = GoVectors.Of("locate").Where(r => r[1] == "ta3" && r[2].Length > 0).ToList();
        var file = WriteTargets(["# golden targets", "", .. rows.Select(r => r[2])]);

        // When allocated
        var (exit, output, _) = await RunAsync("allocate", "--strategy", "consistent-hashing", "--collectors", string.Join(',', GoVectors.Members("ta3")), "--targets", file);

        // Then the CSV lists them in input order with Go's owners
        Assert.Equal(0, exit);
        var expected = "target,collector\n" + string.Concat(rows.Select(r => $"{r[2]},{r[3]}\n"));
        Assert.Equal(expected, output);
    }

    [Fact]
    public async Task Compare_prints_what_moves_and_a_summary()
    {
        // Given 10,000 targets
        var file = WriteTargets(Enumerable.Range(0, 10_000).Select(GoVectors.Target));

        // When comparing 3 and 4 collectors
        var (exit, output, error) = await RunAsync("allocate", "--collectors", string.Join(',', GoVectors.Names(3)), "--compare-collectors", string.Join(',', GoVectors.Names(4)), "--targets", file);

        // Then 3,021 rows move (Go's count) and stderr summarises
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("target,from,to", lines[0]);
        Assert.Equal(3021, lines.Length - 1);
        Assert.Contains("3021 of 10000 targets moved (30.2%) going from 3 to 4 collectors with consistent-hashing.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_stdin_skipping_blank_lines_and_comments()
    {
        AllocateCommand.StandardInput = new StringReader("# header\n\n10.0.0.1:9100\n  10.0.0.2:9100  \n");
        try
        {
            var (exit, output, _) = await RunAsync("allocate", "--strategy", "least-weighted", "--collectors", "b,a", "--targets", "-");
            Assert.Equal(0, exit);
            Assert.Equal("target,collector\n10.0.0.1:9100,a\n10.0.0.2:9100,b\n", output);
        }
        finally
        {
            AllocateCommand.StandardInput = Console.In;
        }
    }

    [Fact]
    public async Task Per_node_uses_node_columns_and_reports_unassigned_targets()
    {
        var file = WriteTargets(["10.0.0.1:9100,node-1", "10.0.0.9:9100,node-9"]);
        var (exit, output, error) = await RunAsync("allocate", "--strategy", "per-node", "--collectors", "agent-a@node-1", "--targets", file);
        Assert.Equal(0, exit);
        Assert.Equal("target,collector\n10.0.0.1:9100,agent-a\n10.0.0.9:9100,\n", output);
        Assert.Contains("1 targets unassigned (could not find collector for node node-9)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_unusable_input()
    {
        var (exit, _, error) = await RunAsync("allocate", "--collectors", "a", "--targets", Path.Combine(_dir.Path, "missing.txt"));
        Assert.Equal(2, exit);
        Assert.Contains("missing.txt' not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_collector_list_is_unusable_input()
    {
        var (exit, _, error) = await RunAsync("allocate", "--collectors", " , ", "--targets", WriteTargets(["a:1"]));
        Assert.Equal(2, exit);
        Assert.Contains("--collectors names no collector", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_strategy_lists_the_allowed_ones()
    {
        var (exit, _, error) = await RunAsync("allocate", "--strategy", "round-robin", "--collectors", "a", "--targets", WriteTargets(["a:1"]));
        Assert.Equal(2, exit);
        Assert.Contains("unknown strategy 'round-robin'. Allowed: consistent-hashing, least-weighted, per-node.", error, StringComparison.Ordinal);
    }
}
