namespace OtelLab.AppHost.Hosting;

/// <summary>The k3s container of <c>--cluster k3s</c>; the cluster's pods are shown under it.</summary>
internal sealed class K3sResource(string name) : Aspire.Hosting.ApplicationModel.Resource(name)
{
    public const string DefaultName = "k3s";
}
