using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model;

[Trait("Category", "Unit")]
public sealed class ArgoApplicationReaderTests
{
    [Fact]
    public void The_guides_application_reads_its_sync_policy_and_options()
    {
        var set = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "30-argocd-application.yaml")]);

        var app = Assert.Single(set.Typed<ArgoApplication>()).Model;
        Assert.Equal(("otel-pipeline", "argocd", "main", "clusters/eks-prod/otel", "observability"), (app.Name, app.Namespace, app.TargetRevision, app.Path, app.DestinationNamespace));
        Assert.True(app.Automated && app.AutomatedPrune && app.SelfHeal);
        Assert.Equal(["CreateNamespace=true"], app.SyncOptions);
        Assert.False(app.DirectoryRecurse || app.HasHelm);
        Assert.Empty(app.Finalizers);
    }

    [Fact]
    public void Enabled_false_turns_automation_off_and_recurse_helm_and_finalizers_are_read()
    {
        var set = ManifestLoader.LoadText("app.yaml", """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: a
              namespace: argocd
              finalizers: [resources-finalizer.argocd.argoproj.io]
            spec:
              source:
                repoURL: https://example.test/r.git
                path: p
                directory: { recurse: true }
                helm: { releaseName: x }
              destination: { namespace: ns }
              syncPolicy:
                automated: { enabled: false, prune: true }
            """);

        var app = Assert.Single(set.Typed<ArgoApplication>()).Model;
        // upstream: types.go IsAutomatedSyncEnabled — enabled: nil means on, false means off
        Assert.False(app.Automated);
        Assert.True(app.DirectoryRecurse && app.HasHelm);
        Assert.Equal(["resources-finalizer.argocd.argoproj.io"], app.Finalizers);
    }
}
