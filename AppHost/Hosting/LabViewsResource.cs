
namespace OtelLab.AppHost.Hosting;

/// <summary>
/// The lab's own page (shards per replica, keep rates, backend parity, findings with evidence: what Aspire's pages do
/// not show), linked from the dashboard as this resource's URL, with the lab's start-up figures as properties.
/// </summary>
internal sealed class LabViewsResource(string name) : Aspire.Hosting.ApplicationModel.Resource(name)
{
}
