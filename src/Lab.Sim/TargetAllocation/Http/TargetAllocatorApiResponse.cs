using System.Text;

namespace OtelLab.Sim.TargetAllocation.Http;

/// <summary>One HTTP answer of the TA API: status, content type (null for none) and body.</summary>
public sealed record TargetAllocatorApiResponse(int StatusCode, string? ContentType, string Body)
{
    private byte[]? _utf8;

    /// <summary>
    /// The body as sent, encoded once: an http_sd list of thousands of targets is megabytes, and a cached answer is
    /// sent to every poll — encoding it per request put a large-object allocation on each one.
    /// </summary>
    public byte[] Utf8Body => _utf8 ??= Encoding.UTF8.GetBytes(Body);

    // An answer is its status, type and body, whether or not it has been encoded yet.
    public bool Equals(TargetAllocatorApiResponse? other) =>
        other is not null && StatusCode == other.StatusCode && ContentType == other.ContentType && Body == other.Body;

    public override int GetHashCode() => HashCode.Combine(StatusCode, ContentType, Body);
}
