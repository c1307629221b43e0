using System.Text;
using OtelLab.Model.Rbac;
using OtelLab.Model.Secrets;

namespace OtelLab.Sim.ApiServer;

/// <summary>
/// A kubeconfig for the simulated cluster: one cluster (the API server's URL, and its CA when it serves https), one
/// admin user with context <c>otel-lab</c> (namespace default, current), and one user and context per ServiceAccount
/// asked for (<c>otel-lab:NAMESPACE:NAME</c>, namespace the ServiceAccount's), so <c>kubectl --context</c> runs as that
/// ServiceAccount under the cluster's RBAC.
/// </summary>
public static class Kubeconfig
{
    public const string ContextName = "otel-lab";

    /// <summary>The context a ServiceAccount's token is used under.</summary>
    public static string ContextOf(RbacSubject serviceAccount) => $"{ContextName}:{serviceAccount.Namespace}:{serviceAccount.Name}";

    /// <param name="certificateAuthorityPem">The CA that signed the server's certificate (https); null for http.</param>
    /// <param name="serviceAccounts">ServiceAccounts to add a context for, each with a token the cluster accepts for it.</param>
    public static string Write(string path, Uri server, string token, string? certificateAuthorityPem = null, IReadOnlyList<(RbacSubject ServiceAccount, string Token)>? serviceAccounts = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}");
        if (certificateAuthorityPem is not null)
        {
            text.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(certificateAuthorityPem))}");
        }

        text.AppendLine("users:")
            .AppendLine($"- name: {ContextName}-admin")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}");
        foreach (var (account, accountToken) in serviceAccounts ?? [])
        {
            text.AppendLine($"- name: \"system:serviceaccount:{account.Namespace}:{account.Name}\"")
                .AppendLine("  user:")
                .AppendLine($"    token: {accountToken}");
        }

        text.AppendLine("contexts:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {ContextName}")
            .AppendLine($"    user: {ContextName}-admin")
            .AppendLine("    namespace: default");
        foreach (var (account, _) in serviceAccounts ?? [])
        {
            text.AppendLine($"- name: \"{ContextOf(account)}\"")
                .AppendLine("  context:")
                .AppendLine($"    cluster: {ContextName}")
                .AppendLine($"    user: \"system:serviceaccount:{account.Namespace}:{account.Name}\"")
                .AppendLine($"    namespace: {account.Namespace}");
        }

        text.AppendLine($"current-context: {ContextName}");

        // It holds bearer tokens: readable by the owner only, as kubectl writes its own.
        OwnerOnlyFile.WriteAllText(full, text.ToString());
        return path;
    }
}
