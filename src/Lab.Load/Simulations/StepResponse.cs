namespace OtelLab.Load.Simulations;

/// <summary>
/// What one invocation of a step returned (NBomber's <c>Response.Ok()</c> / <c>Response.Fail()</c>): whether it
/// succeeded, its status code (an HTTP status, or a reason such as <c>connect ConnectionRefused</c>), and the bytes
/// it moved (request plus response, NBomber's data transfer).
/// </summary>
public readonly record struct StepResponse(bool IsOk, string StatusCode, long SizeBytes)
{
    public static StepResponse Ok(string statusCode = "OK", long sizeBytes = 0) => new(true, statusCode, sizeBytes);

    public static StepResponse Fail(string statusCode, long sizeBytes = 0) => new(false, statusCode, sizeBytes);
}
