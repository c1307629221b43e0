using System.Text.Json.Nodes;
using OtelLab.Model.Protobuf;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// A <c>application/vnd.kubernetes.protobuf</c> request body (what kubectl 1.32+ sends for typed writes such as
/// <c>kubectl create configmap|secret|namespace</c>) as the JSON object the rest of the API server handles: the
/// <c>k8s\0</c> magic, a <c>runtime.Unknown</c> (typeMeta 1 {apiVersion 1, kind 2}, raw 2) and the kind's generated
/// message in raw. upstream: apimachinery pkg/runtime/serializer/protobuf/protobuf.go (Serializer.Decode),
/// pkg/runtime/generated.proto, k8s.io/api core/v1 and meta/v1 generated.proto. Decoded kinds: ConfigMap, Secret,
/// Namespace (metadata name, generateName, namespace, labels, annotations, finalizers); any other kind is refused with
/// a 415 that names the ones decoded.
/// </summary>
internal static class ProtobufBody
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            return DecodeUnknown(body);
        }
        catch (InvalidDataException e)
        {
            throw new ClusterApiException(400, "BadRequest", "unable to decode the protobuf body: " + e.Message);
        }
    }

    private static JsonObject DecodeUnknown(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            // upstream: protobuf.go Decode — "provided data does not appear to be a protobuf message, expected prefix …"
            throw new ClusterApiException(400, "BadRequest", "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        string? apiVersion = null, kind = null;
        ReadOnlySpan<byte> raw = default;
        var unknown = new ProtobufReader(body[Magic.Length..]);
        while (unknown.Next())
        {
            switch (unknown.Field)
            {
                case 1:
                    var typeMeta = new ProtobufReader(unknown.Bytes());
                    while (typeMeta.Next())
                    {
                        switch (typeMeta.Field)
                        {
                            case 1: apiVersion = typeMeta.String(); break;
                            case 2: kind = typeMeta.String(); break;
                            default: typeMeta.Skip(); break;
                        }
                    }

                    break;
                case 2: raw = unknown.Bytes(); break;
                default: unknown.Skip(); break;
            }
        }

        var o = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        switch ((apiVersion, kind))
        {
            case ("v1", "ConfigMap"): ConfigMap(raw, o); break;
            case ("v1", "Secret"): Secret(raw, o); break;
            case ("v1", "Namespace"): Namespace(raw, o); break;
            default:
                throw new ClusterApiException(415, "UnsupportedMediaType",
                    $"the simulated API server decodes protobuf bodies of v1 ConfigMap, Secret and Namespace only, not {apiVersion} {kind}: send it as JSON (kubectl create -f FILE, or kubectl 1.31 and older)");
        }

        return o;
    }

    // ConfigMap: metadata 1, data 2 (map<string,string>), binaryData 3 (map<string,bytes>), immutable 4.
    private static void ConfigMap(ReadOnlySpan<byte> raw, JsonObject o)
    {
        var r = new ProtobufReader(raw);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: o["metadata"] = ObjectMeta(r.Bytes()); break;
                case 2: Entry(r.Bytes(), Map(o, "data"), binary: false); break;
                case 3: Entry(r.Bytes(), Map(o, "binaryData"), binary: true); break;
                case 4: o["immutable"] = r.Varint() != 0; break;
                default: r.Skip(); break;
            }
        }
    }

    // Secret: metadata 1, data 2 (map<string,bytes>), type 3, stringData 4, immutable 5.
    private static void Secret(ReadOnlySpan<byte> raw, JsonObject o)
    {
        var r = new ProtobufReader(raw);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: o["metadata"] = ObjectMeta(r.Bytes()); break;
                case 2: Entry(r.Bytes(), Map(o, "data"), binary: true); break;
                case 3: o["type"] = r.String(); break;
                case 4: Entry(r.Bytes(), Map(o, "stringData"), binary: false); break;
                case 5: o["immutable"] = r.Varint() != 0; break;
                default: r.Skip(); break;
            }
        }
    }

    // Namespace: metadata 1 (spec 2 holds only finalizers, which the API server sets itself).
    private static void Namespace(ReadOnlySpan<byte> raw, JsonObject o)
    {
        var r = new ProtobufReader(raw);
        while (r.Next())
        {
            if (r.Field == 1)
            {
                o["metadata"] = ObjectMeta(r.Bytes());
            }
            else
            {
                r.Skip();
            }
        }
    }

    // ObjectMeta: name 1, generateName 2, namespace 3, labels 11, annotations 12, finalizers 14.
    private static JsonObject ObjectMeta(ReadOnlySpan<byte> raw)
    {
        var meta = new JsonObject();
        var r = new ProtobufReader(raw);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: meta["name"] = r.String(); break;
                case 2: meta["generateName"] = r.String(); break;
                case 3: meta["namespace"] = r.String(); break;
                case 11: Entry(r.Bytes(), Map(meta, "labels"), binary: false); break;
                case 12: Entry(r.Bytes(), Map(meta, "annotations"), binary: false); break;
                case 14: ((meta["finalizers"] ??= new JsonArray()) as JsonArray)!.Add(r.String()); break;
                default: r.Skip(); break;
            }
        }

        return meta;
    }

    private static JsonObject Map(JsonObject parent, string key) => (JsonObject)(parent[key] ??= new JsonObject());

    // A map entry is a message {key 1, value 2}; bytes values are base64 in JSON, as the JSON serializer writes []byte.
    private static void Entry(ReadOnlySpan<byte> raw, JsonObject map, bool binary)
    {
        string key = string.Empty;
        JsonNode value = string.Empty;
        var r = new ProtobufReader(raw);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: key = r.String(); break;
                case 2: value = binary ? System.Convert.ToBase64String(r.Bytes()) : r.String(); break;
                default: r.Skip(); break;
            }
        }

        map[key] = value;
    }
}
