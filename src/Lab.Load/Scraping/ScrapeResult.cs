using System.Net;

namespace OtelLab.Load.Scraping;

/// <summary>One scrape: the target, whether it returned 200, the samples and bytes read, and how long it took.</summary>
public sealed record ScrapeResult(IPEndPoint Target, bool Ok, int StatusCode, int Samples, long Bytes, TimeSpan Duration, string? Error = null);
