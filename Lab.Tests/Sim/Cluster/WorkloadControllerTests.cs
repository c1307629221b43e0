using k8s.Models;
using OtelLab.Sim.Networking;

namespace OtelLab.Tests.Sim.Cluster;

[Trait("Category", "Unit")]
public sealed class WorkloadControllerTests
{
    private const string Workloads = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          replicas: 3
          serviceName: db-headless
          podManagementPolicy: Parallel
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: db:1}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: agent:1}]}
        """;

    [Fact]
    public async Task Count_matches_the_listed_objects_without_sorting_them()
    {
        // Given 3 web pods, 3 db pods and an agent pod per node
        var cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(cluster, Workloads);

        // Then Count agrees with filtering the sorted list
        Assert.Equal(cluster.List<V1Pod>().Count(p => p.Metadata.Labels["app"] == "web"), cluster.Count<V1Pod>(p => p.Metadata.Labels["app"] == "web"));
        Assert.Equal(3, cluster.Count<V1Pod>(p => p.Metadata.Labels["app"] == "db"));
        Assert.Equal(cluster.List<V1Pod>().Count, cluster.Count<V1Pod>(_ => true));
    }

    [Fact]
    public async Task Deployment_creates_a_hashed_replicaset_whose_pods_carry_its_name_and_hash()
    {
        // Given a cluster
        var cluster = SimFixtures.NewCluster();

        // When a Deployment with 3 replicas is applied
        var result = await SimFixtures.ApplyYamlAsync(cluster, Workloads);

        // Then one ReplicaSet <deploy>-<hash> owned by the Deployment holds 3 pods <rs>-<5 chars>
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var rs = Assert.Single(cluster.List<V1ReplicaSet>("shop"));
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.Equal("Deployment", rs.Metadata.OwnerReferences.Single().Kind);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels["pod-template-hash"]);
        var pods = SimFixtures.PodsOf(cluster, "shop", "app=web");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Matches($"^web-{hash}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$", p.Metadata.Name);
            Assert.Equal(hash, p.Metadata.Labels["pod-template-hash"]);
            Assert.Equal(rs.Metadata.Uid, p.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid);
            Assert.False(string.IsNullOrEmpty(p.Spec.NodeName));
            Assert.True(LoopbackAddressPlan.IsPod(System.Net.IPAddress.Parse(p.Status.PodIP)));
            Assert.Equal(cluster.NodeAddress(p.Spec.NodeName)!.ToString(), p.Status.HostIP);
            Assert.Equal("default", p.Spec.ServiceAccountName);
        });
        // Spread over the 3 nodes by least-loaded placement
        Assert.Equal(3, pods.Select(p => p.Spec.NodeName).Distinct().Count());
        Assert.True(cluster.ControllerErrors.Count == 0, string.Join("\n", cluster.ControllerErrors));
    }

    [Fact]
    public async Task Deleting_a_replicaset_pod_makes_the_controller_create_a_new_one()
    {
        // Given the Deployment running 3 pods
        var cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(cluster, Workloads);
        var before = SimFixtures.PodsOf(cluster, "shop", "app=web");

        // When one pod is deleted
        Assert.True(cluster.Delete("Pod", "shop", before[0].Metadata.Name));

        // Then a replacement with a new name keeps the count at 3
        var after = SimFixtures.PodsOf(cluster, "shop", "app=web");
        Assert.Equal(3, after.Count);
        Assert.DoesNotContain(after, p => p.Metadata.Name == before[0].Metadata.Name);
        Assert.Contains(cluster.EventsFor("ReplicaSet", "shop", before[0].Metadata.OwnerReferences[0].Name), e => e.Reason == "SuccessfulCreate");
    }

    [Fact]
    public async Task Scaling_a_deployment_scales_its_replicaset_up_and_down()
    {
        var cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(cluster, Workloads);

        cluster.Scale("Deployment", "shop", "web", 5);
        Assert.Equal(5, SimFixtures.PodsOf(cluster, "shop", "app=web").Count);

        cluster.Scale("Deployment", "shop", "web", 1);
        Assert.Single(SimFixtures.PodsOf(cluster, "shop", "app=web"));
        Assert.Contains(cluster.EventsFor("Deployment", "shop", "web"), e => e.Message.StartsWith("Scaled down replica set web-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Statefulset_pods_have_stable_ordinal_names_that_survive_deletion()
    {
        // Given a 3-replica StatefulSet (Parallel)
        var cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(cluster, Workloads);
        var names = SimFixtures.PodsOf(cluster, "shop", "app=db").Select(p => p.Metadata.Name).ToList();
        Assert.Equal(["db-0", "db-1", "db-2"], names);
        var oldUid = cluster.Get<V1Pod>("shop", "db-1")!.Metadata.Uid;

        // When db-1 is deleted
        cluster.Delete("Pod", "shop", "db-1");

        // Then db-1 is back under the same name (a new pod), with hostname/subdomain for pod DNS
        var recreated = cluster.Get<V1Pod>("shop", "db-1");
        Assert.NotNull(recreated);
        Assert.NotEqual(oldUid, recreated.Metadata.Uid);
        Assert.Equal("db-1", recreated.Spec.Hostname);
        Assert.Equal("db-headless", recreated.Spec.Subdomain);
        Assert.Equal("db-1", recreated.Metadata.Labels["statefulset.kubernetes.io/pod-name"]);
        Assert.Equal("1", recreated.Metadata.Labels["apps.kubernetes.io/pod-index"]);

        // And scaling down removes the highest ordinal
        cluster.Scale("StatefulSet", "shop", "db", 2);
        Assert.Equal(["db-0", "db-1"], SimFixtures.PodsOf(cluster, "shop", "app=db").Select(p => p.Metadata.Name).ToList());
    }

    [Fact]
    public async Task OrderedReady_statefulset_creates_the_next_ordinal_only_after_the_previous_is_ready()
    {
        var cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(cluster, Workloads.Replace("podManagementPolicy: Parallel", "podManagementPolicy: OrderedReady", StringComparison.Ordinal));
        Assert.Equal(["db-0"], SimFixtures.PodsOf(cluster, "shop", "app=db").Select(p => p.Metadata.Name).ToList());

        SimFixtures.MarkReady(cluster, cluster.Get<V1Pod>("shop", "db-0")!);

        Assert.Equal(["db-0", "db-1"], SimFixtures.PodsOf(cluster, "shop", "app=db").Select(p => p.Metadata.Name).ToList());
    }

    [Fact]
    public async Task Daemonset_runs_one_pod_per_node()
    {
        // Given a 3-node cluster with a DaemonSet
        var cluster = SimFixtures.NewCluster(nodes: 3);
        await SimFixtures.ApplyYamlAsync(cluster, Workloads);

        // Then each node has exactly one agent pod named <ds>-<5 chars>
        var pods = SimFixtures.PodsOf(cluster, "shop", "app=agent");
        Assert.Equal(["lab-node-1", "lab-node-2", "lab-node-3"], pods.Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal).ToList());
        Assert.All(pods, p => Assert.Matches("^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$", p.Metadata.Name));

        // When a pod is deleted, its node gets a new one
        var victim = pods[0];
        cluster.Delete("Pod", "shop", victim.Metadata.Name);
        var after = SimFixtures.PodsOf(cluster, "shop", "app=agent");
        Assert.Equal(3, after.Count);
        Assert.Single(after, p => p.Spec.NodeName == victim.Spec.NodeName);
        Assert.Equal(3, cluster.Get<V1DaemonSet>("shop", "agent")!.Status.DesiredNumberScheduled);
    }

    [Fact]
    public async Task Missing_serviceaccount_refuses_pods_with_the_api_server_message_and_a_failedcreate_event()
    {
        // Given a Deployment naming a ServiceAccount that does not exist
        var cluster = SimFixtures.NewCluster();
        await SimFixtures.ApplyYamlAsync(cluster, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: obs}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: gw, namespace: obs}
            spec:
              replicas: 2
              selector: {matchLabels: {app: gw}}
              template:
                metadata: {labels: {app: gw}}
                spec: {serviceAccountName: gw-sa, containers: [{name: c, image: x:1}]}
            """);

        // Then no pod exists and the ReplicaSet records FailedCreate with the ServiceAccount admission message
        Assert.Empty(cluster.List<V1Pod>("obs"));
        var rs = Assert.Single(cluster.List<V1ReplicaSet>("obs"));
        var failed = Assert.Single(cluster.EventsFor("ReplicaSet", "obs", rs.Metadata.Name), e => e.Reason == "FailedCreate");
        Assert.Equal("Warning", failed.Type);
        Assert.Equal(
            $"Error creating: pods \"{rs.Metadata.Name}-\" is forbidden: error looking up service account obs/gw-sa: serviceaccount \"gw-sa\" not found",
            failed.Message);

        // When the ServiceAccount is created, the controller retries and the pods appear
        await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: gw-sa, namespace: obs}\n");
        Assert.Equal(2, cluster.List<V1Pod>("obs").Count);
    }

    [Fact]
    public async Task A_pod_in_a_missing_namespace_is_refused_like_kubectl()
    {
        var cluster = SimFixtures.NewCluster();

        var result = await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nowhere}\n");

        var failure = Assert.Single(result.Failures);
        Assert.Equal("namespaces \"nowhere\" not found", failure.Message);
    }
}
