using System.Globalization;
using Microsoft.AspNetCore.Http;
using OtelLab.Backends.Faults;

namespace OtelLab.Backends.Hosting.Internal;

/// <summary>Applies the backend's current fault to an ingest request before it is processed.</summary>
internal static class FaultGate
{
    /// <summary>True when the fault answered the request (503/429); a slow fault only delays it.</summary>
    public static async Task<bool> AnsweredAsync(HttpContext context, BackendFaults faults, TimeProvider time)
    {
        var fault = faults.Current;
        switch (fault.Kind)
        {
            case BackendFaultKind.Unavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                if (fault.RetryAfter > TimeSpan.Zero)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(fault.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return true;
            case BackendFaultKind.Throttled:
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(fault.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return true;
            case BackendFaultKind.Status:
                context.Response.StatusCode = fault.StatusCode;
                return true;
            case BackendFaultKind.Slow:
                try
                {
                    await Task.Delay(fault.Delay, time, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up (its timeout): nothing to answer.
                    return true;
                }

                return false;
            default:
                return false;
        }
    }
}
