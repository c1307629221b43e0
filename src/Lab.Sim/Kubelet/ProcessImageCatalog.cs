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
    /// <summary>
    /// What keeps the catalog's images from running on this machine, one line each, before any pod starts: a program
    /// not on PATH (with the package the image's <c>tool</c> names), a built file or folder missing (the sample
    /// services are built by the AppHost's build). Empty when everything is in place.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var image in Images)
        {
            if (image.Command.Count > 0 && ProcessContainerRuntime.ResolveProgram(image.Command[0]) is null)
            {
                problems.Add($"{image.Image}: {image.Command[0]} is not on PATH; install {(image.Tool.Length > 0 ? image.Tool : image.Command[0])}");
            }

            var built = image.Command.Skip(1).SelectMany(a => a.Split(':')).Concat(image.Filesystem.Values).Concat(image.Requires)
                .Where(p => Path.IsPathRooted(p) && !File.Exists(p) && !Directory.Exists(p));
            foreach (var missing in built.Distinct(StringComparer.Ordinal))
            {
                problems.Add($"{image.Image}: {missing} does not exist; build the AppHost (dotnet build AppHost), whose SampleServices targets compile the Java pieces and run npm ci");
            }
        }

        return problems;
    }

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
            Requires = (e.Requires ?? []).Select(Expand).ToList(),
        });
        return new ProcessImageCatalog(images);
    }

    private sealed record CatalogFile(List<CatalogEntry>? Images);

    private sealed record CatalogEntry(string? Image, List<string>? Command, string? Tool, int? Port, string? Health, Dictionary<string, string>? Filesystem, List<string>? Requires);
}
