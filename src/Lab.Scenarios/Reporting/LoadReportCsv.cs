using System.Globalization;
using System.Text;
using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Scenarios.Reporting;

/// <summary>The load report as CSV, NBomber's columns: one row per scenario step (phase <c>all</c>) and one per phase.</summary>
public static class LoadReportCsv
{
    public const string Header = "scenario,step_name,phase,simulation,duration_s,request_count,ok,failed,rps,min,mean,max,50_percent,75_percent,95_percent,99_percent,std_dev,data_transfer_min_kb,data_transfer_mean_kb,data_transfer_max_kb,data_transfer_all_mb";

    public static string Write(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder();
        csv.AppendLine(Header);
        foreach (var s in report.Scenarios)
        {
            Row(csv, s.Scenario, s.Step, "all", string.Join(" ", s.Phases.Select(p => p.Simulation)), s.Total);
            foreach (var p in s.Phases)
            {
                Row(csv, s.Scenario, s.Step, (p.Index + 1).ToString(CultureInfo.InvariantCulture), p.Simulation.ToString(), p.Stats);
            }
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string scenario, string step, string phase, string simulation, StepStatsSnapshot s)
    {
        string[] cells =
        [
            scenario, step, phase, simulation, D(s.Duration.TotalSeconds), s.Count.ToString(CultureInfo.InvariantCulture), s.Ok.ToString(CultureInfo.InvariantCulture), s.Fail.ToString(CultureInfo.InvariantCulture),
            D(s.Rps), D(s.MinMs), D(s.MeanMs), D(s.MaxMs), D(s.P50Ms), D(s.P75Ms), D(s.P95Ms), D(s.P99Ms), D(s.StdDevMs),
            D(s.BytesMin / 1024.0), D(s.BytesMean / 1024.0), D(s.BytesMax / 1024.0), D(s.BytesAll / (1024.0 * 1024)),
        ];
        csv.AppendLine(string.Join(",", cells.Select(Quote)));
    }

    private static string D(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
