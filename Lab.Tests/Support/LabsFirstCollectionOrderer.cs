using System.Reflection;
using System.Text.RegularExpressions;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(OtelLab.Tests.Support.LabsFirstCollectionOrderer))]

namespace OtelLab.Tests.Support;

/// <summary>
/// Starts the collections that run a whole lab (seconds to a minute each) before the component and unit ones
/// (milliseconds each), so the end of a run is filled with short tests on every parallel thread instead of one long
/// lab test running alone — longest first is what keeps a fixed number of threads busy to the end. Within each
/// category the order is xUnit's own (by the collection's unique ID), so a run stays reproducible.
/// </summary>
public sealed partial class LabsFirstCollectionOrderer : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections.OrderBy(c => Rank(c)).ThenBy(c => c.UniqueID, StringComparer.Ordinal)];

    private static int Rank(ITestCollection collection)
    {
        // A defined collection (one shared by several classes) holds lab tests here; a class's own collection is named
        // after its class ("Test collection for <full name> (id: …)"), whose Category trait says what it runs.
        if (collection.TestCollectionClassName is not null)
        {
            return 0;
        }

        var match = PerClassName().Match(collection.TestCollectionDisplayName);
        var type = match.Success ? typeof(LabsFirstCollectionOrderer).Assembly.GetType(match.Groups[1].Value) : null;
        var category = type?.GetCustomAttributes<TraitAttribute>()
            .Where(t => t.Name == "Category")
            .Select(t => t.Value)
            .FirstOrDefault();
        return category switch
        {
            "Lab" => 0,
            "Component" => 1,
            _ => 2,
        };
    }

    [GeneratedRegex(@"^Test collection for ([\w.+]+) \(id: ")]
    private static partial Regex PerClassName();
}
