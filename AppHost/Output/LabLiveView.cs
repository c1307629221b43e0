using System.Globalization;
using OtelLab.Lint;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Scenarios.Resources;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OtelLab.AppHost.Output;

/// <summary>The live console (Spectre.Console): resources, shards, spans/s per tier, keep rates, backends, findings.</summary>
internal static class LabLiveView
{
    public static IRenderable Render(LabSnapshot s, string dashboard)
    {
        var header = new Markup($"[bold]OTel Lab[/] scenario [blue]{Markup.Escape(s.Scenario)}[/]  " +
            (s.StartupTime is { } startup ? $"ready in [green]{startup.TotalSeconds:0.00} s[/]" : "[yellow]starting…[/]") +
            $"  {Markup.Escape(LabStatusLines.FirstRound(s).TrimEnd(' ', ';'))}" +
            (s.SlowestPods.Count > 0 ? $"  slowest pods [grey]{Markup.Escape(string.Join(", ", s.SlowestPods))}[/]" : "") +
            $"  dashboard [link]{Markup.Escape(dashboard)}[/]  [grey](Ctrl+C stops)[/]");

        var resources = new Table().Border(TableBorder.Rounded).Title("resources").AddColumns("name", "kind", "state", "reason");
        foreach (var r in s.Resources)
        {
            var color = r.State switch
            {
                ResourceState.Running => "green",
                ResourceState.Failed or ResourceState.Blocked => "red",
                _ => "yellow",
            };
            resources.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Kind), $"[{color}]{r.State}[/]", Markup.Escape(Trim(r.Reason ?? "", 60)));
        }

        var pods = new Table().Border(TableBorder.Rounded).Title($"pods {s.Pods.Count(p => p.Ready)}/{s.Pods.Count} ready").AddColumns("pod", "node", "status");
        foreach (var p in s.Pods.Take(14))
        {
            pods.AddRow(Markup.Escape($"{p.Namespace}/{p.Name}"), Markup.Escape(p.Node), p.Ready ? "[green]Ready[/]" : $"[red]{Markup.Escape(p.Status)}[/]");
        }

        var shards = new Table().Border(TableBorder.Rounded).Title("shards per replica").AddColumns("replica", "targets", "series", "last scrape");
        foreach (var x in s.Shards)
        {
            shards.AddRow(Markup.Escape(x.Replica), $"{x.Targets}", $"{x.Series}", x.LastScrape?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-");
        }

        if (s.Shards.Count == 0)
        {
            shards.AddRow("[grey]no data[/]", "", "", "");
        }

        var tiers = new Table().Border(TableBorder.Rounded).Title("spans/s per tier · keep rates").AddColumns("tier / class", "in/s", "out/s", "failed / kept");
        foreach (var t in s.Tiers)
        {
            tiers.AddRow(Markup.Escape(t.Tier), $"{t.ReceivedPerSecond:0.#}", $"{t.SentPerSecond:0.#}", $"{t.SendFailed}");
        }

        foreach (var k in s.KeepRates)
        {
            tiers.AddRow(Markup.Escape("keep " + k.Class), $"{k.Traces}", "", $"{k.Rate:P1}");
        }

        if (s.Tiers.Count == 0 && s.KeepRates.Count == 0)
        {
            tiers.AddRow("[grey]no data[/]", "", "", "");
        }

        var backends = new Table().Border(TableBorder.Rounded).Title("backends").AddColumns("backend", "spans", "points", "ingest/s", "rejected");
        foreach (var b in s.Backends)
        {
            backends.AddRow(Markup.Escape(b.Backend), $"{b.AcceptedSpans}", $"{b.AcceptedMetricPoints}", $"{b.IngestPerSecond:0.#}",
                b.RejectedItems + b.RejectedRequests > 0 ? $"[red]{b.RejectedItems} items / {b.RejectedRequests} req[/]" : "0");
        }

        var findings = new Table().Border(TableBorder.Rounded).Title($"findings ({s.Findings.Count})").AddColumns("severity", "rule", "where", "what");
        foreach (var f in s.Findings.OrderByDescending(f => f.Severity).Take(10))
        {
            var color = f.Severity == Severity.Error ? "red" : f.Severity == Severity.Warning ? "yellow" : "blue";
            findings.AddRow($"[{color}]{f.Severity}[/]", Markup.Escape(f.RuleId), Markup.Escape(f.Location.FileAndLine), Markup.Escape(Trim(f.Message, 70)));
        }

        return new Rows(header, new Columns(resources, pods), new Columns(shards, tiers, backends), findings);
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
