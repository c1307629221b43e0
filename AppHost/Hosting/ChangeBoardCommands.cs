using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.Scenarios;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// The change board on the dashboard: approve or reject, on the ServiceNow resource, the change request the change gate
/// holds a revision's sync on. The resource shows the request that waits (property <c>servicenow.pending</c>, refreshed
/// every second from the Table API); both commands are disabled while none waits.
/// </summary>
internal static class ChangeBoardCommands
{
    public const string Approve = "approve-change";
    public const string Reject = "reject-change";
    public const string PendingProperty = "servicenow.pending";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static void AddChangeBoardCommands(this IReadOnlyDictionary<string, IResourceBuilder<LabComponentResource>> resources, SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(lab);
        if (!resources.TryGetValue(LabResourceNames.ServiceNow, out var servicenow))
        {
            return;
        }

        servicenow.WithCommand(Approve, "Approve the pending change", ctx => DecideAsync(lab, ctx, approve: true),
            Options("Approves the change request the change gate holds the newest revision's sync on, through sysapproval_approver as an approver's client does: Argo CD then syncs it.", "CheckmarkCircle"));
        servicenow.WithCommand(Reject, "Reject the pending change", ctx => DecideAsync(lab, ctx, approve: false),
            Options("Rejects the change request the change gate holds the newest revision's sync on: that revision is never synced.", "DismissCircle"));
        servicenow.OnResourceReady((resource, e, ready) =>
        {
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            // Runs until the host stops: the property and the commands' state follow the Table API.
            _ = PublishPendingAsync(lab, resource, notifications, stopping);
            return Task.CompletedTask;
        });
    }

    private static CommandOptions Options(string description, string icon) => new()
    {
        Description = description,
        IconName = icon,
        IsHighlighted = true,
        UpdateState = c => c.ResourceSnapshot.State?.Text == KnownResourceStates.Running
            && c.ResourceSnapshot.Properties.Any(p => p.Name == PendingProperty && p.Value is string { Length: > 0 })
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
    };

    private static async Task<ExecuteCommandResult> DecideAsync(SimLab lab, ExecuteCommandContext context, bool approve)
    {
        if (lab.ChangeBoard is not { } board)
        {
            return CommandResults.Failure("the ServiceNow mock is not running");
        }

        var pending = await board.PendingAsync(context.CancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return CommandResults.Failure("no change request waits for approval");
        }

        // The newest request is the pending revision's: an older one waits for a revision a later commit superseded.
        var (approver, change) = pending[^1];
        var decided = await board.DecideAsync(approver, change, approve, approve ? "Approved from the Aspire dashboard" : "Rejected from the Aspire dashboard", context.CancellationToken).ConfigureAwait(false);
        var message = $"change request {(string?)decided["number"]} {(approve ? "approved" : "rejected")} (state {(string?)decided["state"]}, approval {(string?)decided["approval"]}): {(string?)decided["short_description"]}";
        context.Logger.LogInformation("change board: {Decision}", message);
        return CommandResults.Success(message);
    }

    private static async Task PublishPendingAsync(SimLab lab, LabComponentResource resource, ResourceNotificationService notifications, CancellationToken stopping)
    {
        using var tick = new PeriodicTimer(PollInterval);
        try
        {
            do
            {
                var pending = lab.ChangeBoard is { } board ? await DescribePendingAsync(board, stopping).ConfigureAwait(false) : string.Empty;
                await notifications.PublishUpdateAsync(resource, s => s with
                {
                    Properties = [.. s.Properties.Where(p => p.Name != PendingProperty), new(PendingProperty, pending) { DisplayName = "Waiting for approval", IsHighlighted = true }],
                }).ConfigureAwait(false);
            }
            while (await tick.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
        catch (HttpRequestException)
        {
            // the mock stopped under the poll (the lab is shutting down)
        }
    }

    private static async Task<string> DescribePendingAsync(Scenarios.GitOps.ChangeBoard board, CancellationToken cancellationToken)
    {
        var pending = await board.PendingAsync(cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return string.Empty;
        }

        JsonObject change = await board.ChangeAsync(pending[^1].Change, cancellationToken).ConfigureAwait(false);
        return $"{(string?)change["number"]}: {(string?)change["short_description"]}";
    }
}
