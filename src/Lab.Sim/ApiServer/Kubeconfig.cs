using System.Text;

namespace OtelLab.Sim.ApiServer;

/// <summary>
/// A kubeconfig for the simulated cluster: one cluster (the API server's http URL), one admin user, one context
/// <c>otel-lab</c> with namespace default, current. Over http kubectl sends no credentials (client-go
/// tools/clientcmd/client_config.go); KubernetesClient refuses a user without any and sends the token as a bearer.
/// </summary>
public static class Kubeconfig
{
    public const string ContextName = "otel-lab";

    public static string Write(string path, Uri server, string token)
    {
        ArgumentNullException.ThrowIfNull(server);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}")
            .AppendLine("users:")
            .AppendLine($"- name: {ContextName}-admin")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {ContextName}")
            .AppendLine($"    user: {ContextName}-admin")
            .AppendLine("    namespace: default")
            .AppendLine($"current-context: {ContextName}")
            .ToString();
        File.WriteAllText(path, text);
        return path;
    }
}
