using System.Reflection;
using System.Text.RegularExpressions;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(OtelLab.Tests.Support.LabsFirstCollectionOrderer))]

namespace OtelLab.Tests.Support;

/// <summary>
/// Starts the longest collections first: those with a test marked <c>Speed=Slow</c> (a run of 30 s or more), then the
/// other collections that run a whole lab (seconds each), then the component and unit ones (milliseconds each). Longest
/// first is what keeps a fixed number of threads busy to the end: the run ends on short tests on every thread instead
/// of one long lab test running alone. Within each rank the order is xUnit's own (by the collection's unique ID), so a
/// run stays reproducible.
/// </summary>
public sealed partial class LabsFirstCollectionOrderer : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections.OrderBy(c => Rank(c)).ThenBy(c => c.UniqueID, StringComparer.Ordinal)];

    private static int Rank(ITestCollection collection)
    {
        // A defined collection (one shared by several classes) holds lab tests here; a class's own collection is named
        // after its class ("Test collection for <full name> (id: …)"), whose traits say what it runs.
        if (collection.TestCollectionClassName is not null)
        {
            return 1;
        }

        var match = PerClassName().Match(collection.TestCollectionDisplayName);
        if ((match.Success ? typeof(LabsFirstCollectionOrderer).Assembly.GetType(match.Groups[1].Value) : null) is not { } type)
        {
            return 3;
        }

        if (type.GetMethods().Any(m => Traits(m).Contains(("Speed", "Slow"))))
        {
            return 0;
        }

        return Traits(type).FirstOrDefault(t => t.Name == "Category").Value switch
        {
            "Lab" => 1,
            "Component" => 2,
            _ => 3,
        };
    }

    private static IEnumerable<(string Name, string Value)> Traits(MemberInfo member) =>
        member.GetCustomAttributes<TraitAttribute>().Select(t => (t.Name, t.Value));

    [GeneratedRegex(@"^Test collection for ([\w.+]+) \(id: ")]
    private static partial Regex PerClassName();
}
