using OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

namespace OtelLab.Tests.Sim.Collector.Receivers;

/// <summary>
/// The scrape loop's series cache (upstream: prometheus scrape/scrape.go scrapeCache): a series seen before reuses its
/// parsed name and labels, every line parses to what a full parse gives, and iterDone drops what a successful scrape
/// did not see.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ScrapeCacheTests
{
    // Labels with an escaped quote, a '}' and a space inside values, a timestamp, a series without labels, a histogram.
    private const string Exposition = """
        # TYPE http_requests_total counter
        http_requests_total{method="GET",path="/a b"} 7
        http_requests_total{method="POST",path="/{id}"} 3 1700000000000
        odd{quote="say \"hi\"",brace="}"} 1.5
        plain 42
        # TYPE latency_seconds histogram
        latency_seconds_bucket{le="0.1"} 2
        latency_seconds_bucket{le="+Inf"} 3
        latency_seconds_sum 0.4
        latency_seconds_count 3
        """;

    [Fact]
    public void Every_line_parses_with_the_cache_as_it_does_without_on_the_first_scrape_and_on_later_ones()
    {
        var cache = new ScrapeCache();
        Assert.True(ExpositionParser.TryParse(Exposition, out var uncached, out _, out var error), error);

        foreach (var scrape in Enumerable.Range(0, 3))
        {
            Assert.True(ExpositionParser.TryParse(Exposition, out var cached, out _, out error, cache), error);
            Assert.Equal(Flatten(uncached), Flatten(cached));
            cache.IterDone(succeeded: true);
        }

        Assert.Equal(uncached.Count, cache.Count);
    }

    [Fact]
    public void A_series_seen_before_reuses_its_name_and_labels_and_reads_its_new_value()
    {
        var cache = new ScrapeCache();
        Assert.True(ExpositionParser.TryParse(Exposition, out var first, out _, out _, cache));
        cache.IterDone(succeeded: true);

        Assert.True(ExpositionParser.TryParse(Exposition.Replace("} 7", "} 8", StringComparison.Ordinal), out var second, out _, out _, cache));

        Assert.All(first.Zip(second), pair =>
        {
            Assert.Same(pair.First.Name, pair.Second.Name);
            Assert.Same(pair.First.Labels, pair.Second.Labels);
        });
        Assert.Equal(8, second[0].Value);
    }

    [Fact]
    public void A_malformed_value_on_a_cached_series_still_fails_the_scrape_with_its_line()
    {
        var cache = new ScrapeCache();
        Assert.True(ExpositionParser.TryParse(Exposition, out _, out _, out _, cache));
        cache.IterDone(succeeded: true);

        Assert.False(ExpositionParser.TryParse(Exposition.Replace("plain 42", "plain forty-two", StringComparison.Ordinal), out _, out _, out var error, cache));
        Assert.StartsWith("line 5: malformed sample", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_successful_scrape_drops_the_series_it_did_not_see_and_a_failed_one_keeps_them()
    {
        var cache = new ScrapeCache();
        Assert.True(ExpositionParser.TryParse("a{x=\"1\"} 1\na{x=\"2\"} 1\n", out _, out _, out _, cache));
        cache.IterDone(succeeded: true);
        Assert.Equal(2, cache.Count);

        // A failed scrape that saw one of them keeps both
        Assert.True(ExpositionParser.TryParse("a{x=\"1\"} 1\n", out _, out _, out _, cache));
        cache.IterDone(succeeded: false);
        Assert.Equal(2, cache.Count);

        // A successful one that saw one drops the other
        Assert.True(ExpositionParser.TryParse("a{x=\"1\"} 1\n", out _, out _, out _, cache));
        cache.IterDone(succeeded: true);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Failed_scrapes_flush_once_the_cache_doubles_past_its_last_success_plus_1000()
    {
        var cache = new ScrapeCache();
        Assert.True(ExpositionParser.TryParse("a 1\n", out _, out _, out _, cache));
        cache.IterDone(succeeded: true);

        // Failed scrapes with new series: 1,002 held is not over 2 × 1 + 1,000, so nothing goes; 1,003 is, and that
        // failed scrape's end drops every series it did not see
        Assert.True(ExpositionParser.TryParse(string.Concat(Enumerable.Range(0, 1001).Select(i => $"b{{i=\"{i}\"}} 1\n")), out _, out _, out _, cache));
        cache.IterDone(succeeded: false);
        Assert.Equal(1002, cache.Count);
        Assert.True(ExpositionParser.TryParse("c 1\n", out _, out _, out _, cache));
        cache.IterDone(succeeded: false);

        Assert.Equal(1, cache.Count);
    }

    private static List<string> Flatten(List<ExpositionSample> samples) =>
        [.. samples.Select(s => $"{s.Name}|{string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value))}|{s.Value}")];
}
