using System.Text.Json;
using System.Text.RegularExpressions;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The image → process map the <see cref="ProcessContainerRuntime"/> serves, as data (<c>SampleServices/images.json</c>).
/// <c>{services}</c> in commands and paths is the SampleServices folder, <c>{out}</c> its build output.
/// </summary>
public sealed class ProcessImageCatalog
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };
    private readonly List<(Regex Match, ProcessImage Image)> _images;

    public ProcessImageCatalog(IEnumerable<ProcessImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        _images = images.Select(i => (new Regex("^" + Regex.Escape(i.Image).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant), i)).ToList();
    }

    public IReadOnlyList<ProcessImage> Images => _images.Select(i => i.Image).ToList();

    /// <summary>The first entry whose pattern matches, or null.</summary>
    public ProcessImage? Find(string image) => _images.FirstOrDefault(i => i.Match.IsMatch(image)).Image;

    /// <summary>Loads <c>images.json</c> from a SampleServices folder; a bad file throws with the file and the problem.</summary>
    public static ProcessImageCatalog Load(string servicesDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(servicesDirectory);
        var services = Path.GetFullPath(servicesDirectory);
        var file = Path.Combine(services, "images.json");
        CatalogFile? data;
        try
        {
            data = JsonSerializer.Deserialize<CatalogFile>(File.ReadAllText(file), Json);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new InvalidOperationException($"{file}: cannot read the image catalog: {e.Message}", e);
        }

        string Expand(string text) => text
            .Replace("{services}", services.TrimEnd('/'), StringComparison.Ordinal)
            .Replace("{out}", Path.Combine(services, "out"), StringComparison.Ordinal);

        var images = (data?.Images ?? []).Select((e, i) => new ProcessImage
        {
            Image = string.IsNullOrEmpty(e.Image) ? throw new InvalidOperationException($"{file}: images[{i}] has no \"image\"") : e.Image,
            Command = (e.Command ?? []).Select(Expand).ToList(),
            Tool = e.Tool ?? string.Empty,
            Port = e.Port,
            Health = e.Health,
            Filesystem = (e.Filesystem ?? []).ToDictionary(kv => kv.Key, kv => Expand(kv.Value), StringComparer.Ordinal),
        });
        return new ProcessImageCatalog(images);
    }

    private sealed record CatalogFile(List<CatalogEntry>? Images);

    private sealed record CatalogEntry(string? Image, List<string>? Command, string? Tool, int? Port, string? Health, Dictionary<string, string>? Filesystem);
}
