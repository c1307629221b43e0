namespace OtelLab.Load.Scraping;

/// <summary>Totals of a scrape round.</summary>
public sealed record ScrapeSummary(int Targets, int Succeeded, long Samples, long Bytes, TimeSpan Elapsed)
{
    public int Failed => Targets - Succeeded;

    public double ScrapesPerSecond => Targets / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double SamplesPerSecond => Samples / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
