using System.Net;
using OtelLab.Backends.Hosting.Internal;
using OtelLab.Backends.ServiceNow.Internal;

namespace OtelLab.Backends.ServiceNow;

/// <summary>
/// A mock ServiceNow instance on loopback: the Table API (<c>/api/now/table/…</c>) for <c>change_request</c>,
/// <c>sysapproval_approver</c> and <c>sys_journal_field</c>, with basic auth, the change state model and approvals
/// (reference: servicenow.md). A change moved to Assess gets an approver record; approving it schedules the change,
/// rejecting it sends the change back to New.
/// </summary>
public sealed class ServiceNowInstance : IAsyncDisposable
{
    private readonly BackendHost _host;

    internal ServiceNowInstance(IReadOnlyDictionary<string, string> users, IPAddress address, int port, TimeProvider time)
    {
        Tables = new ServiceNowTables(time);
        _host = new BackendHost(address, port, time, app => new TableApiEndpoints(Tables, users).Map(app));
    }

    public Uri BaseAddress => _host.BaseAddress;

    public bool IsListening => _host.IsListening;

    internal ServiceNowTables Tables { get; }

    /// <summary>Every change request as stored (field → value), for checks and reports.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ChangeRequests => Tables.Snapshot("change_request");

    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
