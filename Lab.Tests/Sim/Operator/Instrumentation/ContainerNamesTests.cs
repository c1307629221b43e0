using k8s.Models;
using OtelLab.Sim.Operator.Instrumentation;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>Which containers get instrumented (upstream podmutator_test.go multi-instrumentation cases, helper.go).</summary>
[Trait("Category", "Unit")]
public sealed class ContainerNamesTests
{
    private static readonly InstrumentationCr Inst = InstrumentationFrom("""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: inst, namespace: apps}
        spec:
          java: {image: "java:1"}
          python: {image: "py:1"}
          nodejs: {image: "node:1"}
        """);

    private static V1Pod ThreeContainers(Dictionary<string, string> annotations) =>
        Pod("apps", "p", annotations, Container("first"), Container("second"), Container("third"));

    private static bool Instrumented(PodMutationResult r, string container) =>
        r.Container(container).Env?.Any(e => e.Name == "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME") == true;

    [Fact]
    public void Without_names_only_the_first_container_is_instrumented()
    {
        var result = Mutate(ThreeContainers(new() { [InstrumentationAnnotations.InjectJava] = "true" }), Namespace("apps"), [Inst]);

        Assert.Equal([true, false, false], new[] { "first", "second", "third" }.Select(c => Instrumented(result, c)));
    }

    [Fact]
    public void Container_names_selects_the_listed_containers()
    {
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.ContainerNames] = "second,third",
        }), Namespace("apps"), [Inst]);

        Assert.Equal([false, true, true], new[] { "first", "second", "third" }.Select(c => Instrumented(result, c)));
        Assert.Single(result.Pod.Spec.InitContainers);
    }

    [Fact]
    public void Container_names_can_come_from_the_namespace()
    {
        var ns = Namespace("apps", new Dictionary<string, string> { [InstrumentationAnnotations.ContainerNames] = "third" });

        var result = Mutate(ThreeContainers(new() { [InstrumentationAnnotations.InjectJava] = "true" }), ns, [Inst]);

        Assert.Equal([false, false, true], new[] { "first", "second", "third" }.Select(c => Instrumented(result, c)));
    }

    [Fact]
    public void Per_language_names_put_each_language_in_its_own_containers()
    {
        // Given Java and Python in one pod, each with its own container list
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.JavaContainerNames] = "first",
            [InstrumentationAnnotations.InjectPython] = "true",
            [InstrumentationAnnotations.PythonContainerNames] = "second,third",
        }), Namespace("apps"), [Inst]);

        // Then
        Assert.Contains(result.Container("first").Env!, e => e.Name == "JAVA_TOOL_OPTIONS");
        Assert.All(new[] { "second", "third" }, c => Assert.Contains(result.Container(c).Env!, e => e.Name == "PYTHONPATH"));
        Assert.Equal(["opentelemetry-auto-instrumentation-java", "opentelemetry-auto-instrumentation-python"], result.Pod.Spec.InitContainers.Select(i => i.Name));
    }

    [Fact]
    public void Two_languages_without_names_are_skipped_with_a_debug_reason()
    {
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.InjectPython] = "true",
        }), Namespace("apps"), [Inst]);

        Assert.False(result.Mutated);
        Assert.Null(result.AdmissionError);
        Assert.Contains(result.Logs, l => l.Level == "debug"
            && l.Error == "incorrect instrumentation configuration - please provide container names for all instrumentations");
    }

    [Fact]
    public void A_container_claimed_by_two_languages_is_a_duplicate()
    {
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.JavaContainerNames] = "first,second",
            [InstrumentationAnnotations.InjectNodeJs] = "true",
            [InstrumentationAnnotations.NodeJsContainerNames] = "second,first",
        }), Namespace("apps"), [Inst]);

        Assert.False(result.Mutated);
        Assert.Contains(result.Logs, l => l.Error == "duplicated container names detected: [first second]");
    }

    [Theory]
    [InlineData("first;second")]
    [InlineData("first, second")]
    [InlineData("first_second")]
    public void Names_outside_the_allowed_characters_fail_the_mutation(string names)
    {
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.ContainerNames] = names,
        }), Namespace("apps"), [Inst]);

        Assert.False(result.Mutated);
        Assert.Equal($"not valid characters included in the instrumentation container annotation {names}", result.AdmissionError);
    }

    [Fact]
    public void Names_of_missing_containers_are_ignored()
    {
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.ContainerNames] = "nope,third",
        }), Namespace("apps"), [Inst]);

        Assert.Equal([false, false, true], new[] { "first", "second", "third" }.Select(c => Instrumented(result, c)));
    }

    [Fact]
    public void Instrumenting_an_init_container_puts_the_agent_copy_before_it()
    {
        // Given a pod whose init container is the target
        var pod = Pod("apps", "p", new Dictionary<string, string>
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.ContainerNames] = "migrate",
        }, Container("app"));
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "s:1" }, new V1Container { Name = "migrate", Image = "m:1" }];

        // When
        var result = Mutate(pod, Namespace("apps"), [Inst]);

        // Then
        Assert.Equal(["setup", "opentelemetry-auto-instrumentation-java", "migrate"], result.Pod.Spec.InitContainers.Select(c => c.Name));
    }

    [Fact]
    public void Without_multi_instrumentation_the_per_language_names_are_ignored()
    {
        var result = Mutate(ThreeContainers(new()
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.JavaContainerNames] = "third",
        }), Namespace("apps"), [Inst], options: new PodMutatorOptions { EnableMultiInstrumentation = false });

        Assert.Equal([true, false, false], new[] { "first", "second", "third" }.Select(c => Instrumented(result, c)));
    }
}
