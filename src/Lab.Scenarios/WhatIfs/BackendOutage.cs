using OtelLab.Backends;

namespace OtelLab.Scenarios.WhatIfs;

/// <summary>
/// A vendor outage: the mock answers 503 for a while, which the exporters retry with back-off (exporterhelper's
/// retry_on_failure) until their queue fills or the outage ends.
/// </summary>
public static class BackendOutage
{
    public static WhatIfResult Start(IMockBackend? backend, TimeSpan period)
    {
        if (backend is null)
        {
            return WhatIfResult.Refused("that backend is not running");
        }

        backend.Faults.Unavailable(period);
        return WhatIfResult.Done($"{backend.Name} answers 503 Service Unavailable for {period.TotalSeconds:0} s (of the lab's clock)");
    }
}
