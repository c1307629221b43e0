namespace OtelLab.Sim.Vault;

/// <summary>Credential shapes the lab generates, matching what the vendors issue (and what the mock backends check).</summary>
public enum GeneratedSecretKind
{
    /// <summary><c>dt0c01.</c> + 24 upper-case alphanumerics + <c>.</c> + 64 upper-case alphanumerics.</summary>
    DynatraceApiToken,

    /// <summary>32 lower-case hexadecimal characters.</summary>
    DatadogApiKey,

    /// <summary>A ServiceNow integration user's password: 24 mixed-case alphanumerics.</summary>
    ServiceNowPassword,
}
