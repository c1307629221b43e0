using System.Text.RegularExpressions;

namespace OtelLab.K3s.Internal;

/// <summary>
/// The images a Dockerfile builds from: every <c>FROM image [AS stage]</c> whose image is not an earlier stage's
/// name (Dockerfile reference, FROM: a later FROM may name an earlier stage). The engine must have or pull them.
/// </summary>
internal static partial class DockerfileBaseImages
{
    public static IReadOnlyList<string> Of(string dockerfileText)
    {
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        foreach (Match m in FromLine().Matches(dockerfileText))
        {
            var image = m.Groups["image"].Value;
            if (!stages.Contains(image) && !images.Contains(image, StringComparer.Ordinal) && image != "scratch")
            {
                images.Add(image);
            }

            if (m.Groups["stage"].Success)
            {
                stages.Add(m.Groups["stage"].Value);
            }
        }

        return images;
    }

    [GeneratedRegex(@"^\s*FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<stage>\S+))?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}
