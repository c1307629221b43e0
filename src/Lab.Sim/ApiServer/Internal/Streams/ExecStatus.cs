using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// What the status/error channel of an exec carries when the command ends (kubelet
/// pkg/kubelet/cri/streaming/remotecommand/exec.go ServeExec; read back by client-go tools/remotecommand/v4.go
/// errorDecoderV4, which turns NonZeroExitCode into "command terminated with exit code N").
/// </summary>
internal static class ExecStatus
{
    public static byte[] Exited(int code, IReadOnlyList<string> command) => Encode(code == 0
        ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: command '{string.Join(' ', command)}' exited with {code.ToString(CultureInfo.InvariantCulture)}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code.ToString(CultureInfo.InvariantCulture) }),
            },
        });

    /// <summary>
    /// A command that could not start. The message nests as on a containerd node: the CRI streaming server wraps
    /// the OCI runtime's error in an InternalError and the kubelet wraps that again — what kubectl prints against a
    /// real cluster (observed in a public kubectl transcript: exec into a distroless image on Kubernetes 1.31, containerd).
    /// </summary>
    public static byte[] CannotStart(string runtimeMessage, string execId)
    {
        var inner = $"Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{execId}\": OCI runtime exec failed: exec failed: unable to start container process: {runtimeMessage}: unknown";
        return Encode(new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = "Internal error occurred: " + inner,
            ["reason"] = "InternalError",
            ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = inner }) },
            ["code"] = 500,
        });
    }

    /// <summary>Any other failure: an InternalError status (apimachinery pkg/api/errors NewInternalError).</summary>
    public static byte[] Failed(string message) => Encode(new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = "Internal error occurred: " + message,
        ["reason"] = "InternalError",
        ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) },
        ["code"] = 500,
    });

    private static byte[] Encode(JsonObject status) => Encoding.UTF8.GetBytes(GoJson.Serialize(status));
}
