namespace OtelLab.Scenarios.WhatIfs;

/// <summary>What a what-if did to the running lab, in a sentence a person reads in the dashboard's toast.</summary>
public sealed record WhatIfResult(bool Succeeded, string Message)
{
    public static WhatIfResult Done(string message) => new(true, message);

    public static WhatIfResult Refused(string message) => new(false, message);
}
