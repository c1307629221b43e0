using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Tests.Sim.Cluster.Internal;

/// <summary>The store lists a kind sorted by namespace and name, as the API server does, whatever was added, replaced or removed since the last list.</summary>
[Trait("Category", "Unit")]
public sealed class ObjectStoreTests
{
    private static StoredObject Pod(string ns, string name, string version)
    {
        var meta = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = version };
        return new StoredObject { Kind = ResourceKind.Of(typeof(V1Pod)), Metadata = meta, Value = new V1Pod { Metadata = meta } };
    }

    [Fact]
    public void A_sorted_list_reflects_every_add_replace_and_remove_between_lists()
    {
        // Given a store changed at random between lists (seeded: the same population every run), 2,000 operations
        // over 300 names in 3 namespaces, listed after every fifth operation
        var random = new Random(20261206);
        var store = new ObjectStore();
        var kind = ResourceKind.Of(typeof(V1Pod));
        var expected = new Dictionary<(string Ns, string Name), string>();
        var lists = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var key = ($"ns-{random.Next(3)}", $"pod-{random.Next(100):D3}");
            if (random.Next(4) == 0)
            {
                store.Remove(kind, key.Item1, key.Item2);
                expected.Remove(key);
            }
            else
            {
                var version = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                store.Put(Pod(key.Item1, key.Item2, version));
                expected[key] = version;
            }

            if (i % 5 != 0)
            {
                continue;
            }

            // Then each list holds exactly the objects stored now, their latest versions, sorted like kubectl's
            var ns = random.Next(4) is var n && n < 3 ? $"ns-{n}" : null;
            var listed = store.ListSorted(kind, ns).Select(o => (o.Namespace!, o.Name, o.Metadata.ResourceVersion)).ToList();
            var want = expected.Where(e => ns is null || e.Key.Ns == ns)
                .OrderBy(e => e.Key.Ns, StringComparer.Ordinal).ThenBy(e => e.Key.Name, StringComparer.Ordinal)
                .Select(e => (e.Key.Ns, e.Key.Name, e.Value)).ToList();
            Assert.Equal(want, listed);
            lists++;
        }

        Assert.Equal(400, lists);
    }

    [Fact]
    public void A_namespace_listed_from_the_kept_order_shows_a_replaced_object_at_its_place()
    {
        // Given the kept order built by a list of every namespace
        var store = new ObjectStore();
        var kind = ResourceKind.Of(typeof(V1Pod));
        foreach (var (ns, name) in new[] { ("b", "y"), ("a", "z"), ("b", "x"), ("a", "w") })
        {
            store.Put(Pod(ns, name, "1"));
        }

        Assert.Equal(["a/w", "a/z", "b/x", "b/y"], store.ListSorted(kind).Select(o => $"{o.Namespace}/{o.Name}"));

        // When an object is replaced and one namespace is listed
        store.Put(Pod("b", "x", "2"));

        // Then the list is that namespace's, in order, with the new version
        Assert.Equal(["b/x@2", "b/y@1"], store.ListSorted(kind, "b").Select(o => $"{o.Namespace}/{o.Name}@{o.Metadata.ResourceVersion}"));
    }

    [Fact]
    public void A_kind_never_stored_lists_empty()
    {
        Assert.Empty(new ObjectStore().ListSorted(ResourceKind.Of(typeof(V1Pod))));
    }
}
