using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Resources;

namespace OtelLab.AppHost.Hosting;

/// <summary>The simulated substrate in the Aspire app model: one resource per lab component, gated on health.</summary>
internal static class SimLabResourceBuilderExtensions
{
    /// <summary>
    /// Adds every component of <paramref name="lab"/> as a resource that waits for the components it depends on
    /// (a failed dependency stops its dependents rather than leaving them waiting), and the lab itself as a service
    /// stopped with the host. Returns the component resources by name, for commands and URLs.
    /// </summary>
    public static IReadOnlyDictionary<string, IResourceBuilder<LabComponentResource>> AddSimLab(this IDistributedApplicationBuilder builder, SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(lab);
        builder.Services.AddSingleton(lab);
        builder.Services.AddHostedService<SimLabLifetime>();

        var added = new Dictionary<string, IResourceBuilder<LabComponentResource>>(StringComparer.Ordinal);
        foreach (var component in lab.Graph.Resources)
        {
            var resource = builder.AddResource(new LabComponentResource(component.Name, component))
                .ExcludeFromManifest()
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = ResourceTypeOf(component.Kind),
                    State = KnownResourceStates.NotStarted,
                    Properties = [new(CustomResourceKnownProperties.Source, "sim: " + component.Kind)],
                })
                .OnInitializeResource((r, e, _) => StartAsync(lab, r, e));
            foreach (var dependency in component.WaitsFor)
            {
                resource.WaitFor(added[dependency.Name], WaitBehavior.StopOnResourceUnavailable);
            }

            added[component.Name] = resource;
        }

        return added;
    }

    private static string ResourceTypeOf(string kind) => kind switch
    {
        "backend" => "MockBackend",
        "node-agents" => "Kubelets",
        "dns" => "ClusterDns",
        "network" => "KubeProxy",
        _ => string.Concat(kind.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
    };

    // What a person opens on a component: the mocks' query API (what they stored and rejected), Vault's health. The
    // cluster's API is not a link: it serves HTTPS with the run's own CA and refuses requests without credentials, so
    // a browser could only show a certificate warning and a 401; the cluster shows how kubectl reaches it instead.
    private static IEnumerable<UrlSnapshot> UrlsOf(SimLab lab, string component) => component switch
    {
        LabResourceNames.Dynatrace when lab.Dynatrace is { } d => [new("query API", new Uri(d.BaseAddress, "lab/summary").ToString(), IsInternal: false)],
        LabResourceNames.Datadog when lab.Datadog is { } d => [new("query API", new Uri(d.BaseAddress, "lab/summary").ToString(), IsInternal: false)],
        LabResourceNames.Vault when lab.Vault is { } v => [new("health", new Uri(v.Address, "v1/sys/health").ToString(), IsInternal: false)],
        _ => [],
    };

    private static IEnumerable<ResourcePropertySnapshot> PropertiesOf(SimLab lab, string component) => component switch
    {
        LabResourceNames.Cluster when lab.ApiServerAddress is { } api && lab.KubeconfigPath is { } kubeconfig =>
        [
            new("lab.kubeconfig", $"export KUBECONFIG={kubeconfig}") { DisplayName = "kubectl", IsHighlighted = true },
            new("lab.api-server", api.ToString()) { DisplayName = "Kubernetes API" },
        ],
        _ => [],
    };

    private static async Task StartAsync(SimLab lab, LabComponentResource resource, InitializeResourceEvent e)
    {
        // The callback runs on Aspire's orchestrator loop until its first await: yield so resources start in parallel.
        await Task.Yield();
        var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var logger = e.Logger;
        var log = lab.Graph.LogOf(resource.Name)!;
        log.LineWritten += line => logger.LogInformation("{Line}", line);
        try
        {
            // Publishing BeforeResourceStartedEvent is what applies this resource's own WaitFor gates.
            await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, e.Services), stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (DistributedApplicationException ex)
        {
            lab.Graph.MarkBlocked(resource.Component, ex.Message);
            await e.Notifications.PublishUpdateAsync(resource, s => s with
            {
                State = new(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            }).ConfigureAwait(false);
            return;
        }

        await e.Notifications.PublishUpdateAsync(resource, s => s with
        {
            State = KnownResourceStates.Starting,
            StartTimeStamp = DateTime.UtcNow,
        }).ConfigureAwait(false);
        var ok = await lab.Graph.StartResourceAsync(resource.Component, stopping).ConfigureAwait(false);
        var snapshot = lab.Graph.Snapshot(resource.Name);
        await e.Notifications.PublishUpdateAsync(resource, s => s with
        {
            State = ok ? new(KnownResourceStates.Running, KnownResourceStateStyles.Success) : new(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            Urls = ok ? [.. s.Urls, .. UrlsOf(lab, resource.Name)] : s.Urls,
            Properties = [.. s.Properties.Where(p => p.Name != "lab.reason"), .. snapshot?.Reason is { } reason ? [new ResourcePropertySnapshot("lab.reason", reason) { DisplayName = "Reason", IsHighlighted = true }] : Array.Empty<ResourcePropertySnapshot>(),
                .. ok ? PropertiesOf(lab, resource.Name) : []],
        }).ConfigureAwait(false);
        if (ok)
        {
            stopping.Register(() => _ = e.Notifications.PublishUpdateAsync(resource, s => s with
            {
                State = KnownResourceStates.Finished,
                StopTimeStamp = DateTime.UtcNow,
            }));
        }
    }
}
