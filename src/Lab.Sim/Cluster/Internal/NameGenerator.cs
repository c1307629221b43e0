using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Cluster.Internal;

/// <summary>
/// Generated names as the API server and controllers make them.
/// upstream: k8s.io/apimachinery/pkg/util/rand (alphanums "bcdfghjklmnpqrstvwxz2456789", String(n), SafeEncodeString).
/// </summary>
internal static class NameGenerator
{
    private const string Alphanums = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary><c>rand.String(n)</c>: the suffix of <c>generateName</c> (5 characters).</summary>
    public static string RandomSuffix(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphanums[random.Next(Alphanums.Length)];
        }

        return new string(chars);
    }

    /// <summary><c>rand.SafeEncodeString</c>: each character mapped into the alphabet (no vowels, no look-alikes).</summary>
    public static string SafeEncode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(Alphanums[c % Alphanums.Length]);
        }

        return sb.ToString();
    }

    /// <summary>
    /// The <c>pod-template-hash</c>: upstream's <c>controller.ComputeHash</c> is FNV-32a over the template printed by
    /// spew, then SafeEncodeString of the decimal value. The lab hashes the template's JSON instead, so the name has
    /// upstream's shape (up to 10 characters of the same alphabet) but not its exact value.
    /// </summary>
    public static string TemplateHash(string templateJson)
    {
        const uint offset = 2166136261;
        const uint prime = 16777619;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes(templateJson))
        {
            hash ^= b;
            hash *= prime;
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    public static string Uid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
