using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// Parses the HCL subset Vault ACL policies use: <c>path "glob" { capabilities = ["read", …] }</c> blocks (one line
/// or many), the legacy <c>policy = "read"</c> form, <c>#</c>, <c>//</c> and <c>/* */</c> comments. Other valid
/// path keys (<c>allowed_parameters</c>, <c>min_wrapping_ttl</c>, …) are accepted and ignored by the lab.
/// upstream: vault/policy.go parseACLPolicyWithTemplating / parsePaths (error texts, wildcard rules, deny handling).
/// </summary>
internal static class HclPolicyParser
{
    private static readonly string[] TopLevelKeys = ["name", "path"];

    private static readonly string[] PathKeys =
    [
        "comment", "policy", "capabilities", "allowed_parameters", "denied_parameters", "required_parameters",
        "min_wrapping_ttl", "max_wrapping_ttl", "mfa_methods", "control_group",
    ];

    /// <summary>Parses <paramref name="rules"/>; on failure returns null and Vault's error text.</summary>
    public static AclPolicy? TryParse(string name, string rules, out string error)
    {
        error = string.Empty;
        try
        {
            var items = new Parser(rules).ParseBody(topLevel: true);
            var paths = new List<PolicyPath>();
            foreach (var item in items)
            {
                if (!TopLevelKeys.Contains(item.Key, StringComparer.Ordinal))
                {
                    error = $"failed to parse policy: invalid key \"{item.Key}\" on line {item.Line}";
                    return null;
                }

                if (item.Key == "path")
                {
                    var rule = ParsePath(item);
                    if (rule.Error is not null)
                    {
                        error = "failed to parse policy: " + rule.Error;
                        return null;
                    }

                    paths.Add(rule.Path!);
                }
            }

            return new AclPolicy(name, rules, paths);
        }
        catch (FormatException e)
        {
            error = "failed to parse policy: " + e.Message;
            return null;
        }
    }

    private static (PolicyPath? Path, string? Error) ParsePath(Item item)
    {
        var key = item.Labels.Count > 0 ? item.Labels[0] : "path";
        if (item.Block is null)
        {
            return (null, $"path \"{key}\": expected a block {{ … }} on line {item.Line}");
        }

        var capabilities = new List<string>();
        string? legacy = null;
        foreach (var field in item.Block)
        {
            if (!PathKeys.Contains(field.Key, StringComparer.Ordinal))
            {
                return (null, $"path \"{key}\": invalid key \"{field.Key}\" on line {field.Line}");
            }

            if (field.Key == "capabilities")
            {
                if (field.List is null)
                {
                    return (null, $"path \"{key}\": capabilities must be a list on line {field.Line}");
                }

                capabilities.AddRange(field.List);
            }
            else if (field.Key == "policy")
            {
                legacy = field.Scalar;
            }
        }

        // Strip a leading '/' as paths in Vault start after the / in the API path.
        var path = key.StartsWith('/') ? key[1..] : key;
        if (path.Contains("+*", StringComparison.Ordinal))
        {
            return (null, $"path \"{path}\": invalid use of wildcards ('+*' is forbidden)");
        }

        var segmentWildcards = path == "+" || path.Contains("/+", StringComparison.Ordinal) || path.StartsWith("+/", StringComparison.Ordinal);
        var isPrefix = false;
        if (path.EndsWith('*') && !segmentWildcards)
        {
            path = path[..^1];
            isPrefix = true;
        }

        switch (legacy)
        {
            case null:
                break;
            case "deny":
                capabilities = ["deny"];
                break;
            case "read":
                capabilities.AddRange(["read", "list"]);
                break;
            case "write":
                capabilities.AddRange(["create", "read", "update", "delete", "list"]);
                break;
            case "sudo":
                capabilities.AddRange(["create", "read", "update", "delete", "list", "sudo"]);
                break;
            default:
                return (null, $"path \"{key}\": invalid policy \"{legacy}\"");
        }

        var bitmap = Capability.None;
        foreach (var cap in capabilities)
        {
            var parsed = cap switch
            {
                "deny" => Capability.Deny,
                "create" => Capability.Create,
                "read" => Capability.Read,
                "update" => Capability.Update,
                "delete" => Capability.Delete,
                "list" => Capability.List,
                "sudo" => Capability.Sudo,
                "patch" => Capability.Patch,
                _ => (Capability?)null,
            };
            if (parsed is null)
            {
                return (null, $"path \"{key}\": invalid capability \"{cap}\"");
            }

            // upstream: "If it's deny, don't include any other capability".
            if (parsed == Capability.Deny)
            {
                bitmap = Capability.Deny;
                break;
            }

            bitmap |= parsed.Value;
        }

        return (new PolicyPath(path, bitmap, isPrefix, segmentWildcards), null);
    }

    private sealed record Item(string Key, IReadOnlyList<string> Labels, int Line)
    {
        public IReadOnlyList<Item>? Block { get; init; }

        public IReadOnlyList<string>? List { get; init; }

        public string? Scalar { get; init; }
    }

    private sealed class Parser(string text)
    {
        private int _pos;
        private int _line = 1;
        private int _column = 1;

        public List<Item> ParseBody(bool topLevel)
        {
            var items = new List<Item>();
            while (true)
            {
                SkipTrivia();
                if (_pos >= text.Length)
                {
                    if (!topLevel)
                    {
                        throw Error("expected '}' but found end of input");
                    }

                    return items;
                }

                if (text[_pos] == '}')
                {
                    if (topLevel)
                    {
                        throw Error("unexpected '}'");
                    }

                    Advance();
                    return items;
                }

                items.Add(ParseItem());
            }
        }

        private Item ParseItem()
        {
            var line = _line;
            var key = text[_pos] == '"' ? ReadString() : ReadIdentifier();
            var labels = new List<string>();
            while (true)
            {
                SkipTrivia();
                if (_pos < text.Length && text[_pos] == '"')
                {
                    labels.Add(ReadString());
                    continue;
                }

                break;
            }

            SkipTrivia();
            var assigned = Peek('=');
            if (assigned)
            {
                Advance();
                SkipTrivia();
            }

            if (Peek('{'))
            {
                Advance();
                return new Item(key, labels, line) { Block = ParseBody(topLevel: false) };
            }

            if (!assigned)
            {
                throw Error($"key '{key}' expected start of object ('{{') or assignment ('=')");
            }

            if (Peek('['))
            {
                return new Item(key, labels, line) { List = ReadList() };
            }

            return new Item(key, labels, line) { Scalar = ReadScalar() };
        }

        private List<string> ReadList()
        {
            Advance();
            var values = new List<string>();
            while (true)
            {
                SkipTrivia();
                if (Peek(']'))
                {
                    Advance();
                    return values;
                }

                values.Add(ReadScalar());
                SkipTrivia();
                if (Peek(','))
                {
                    Advance();
                    continue;
                }

                if (!Peek(']'))
                {
                    throw Error("expected ',' or ']' in list");
                }
            }
        }

        private string ReadScalar()
        {
            if (_pos >= text.Length)
            {
                throw Error("expected a value but found end of input");
            }

            if (text[_pos] == '"')
            {
                return ReadString();
            }

            if (char.IsAsciiDigit(text[_pos]) || text[_pos] == '-')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '.' or '-'))
                {
                    Advance();
                }

                return text[start.._pos];
            }

            return ReadIdentifier();
        }

        private string ReadIdentifier()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-' or '.'))
            {
                Advance();
            }

            if (_pos == start)
            {
                throw Error($"illegal char '{text[_pos]}'");
            }

            return text[start.._pos];
        }

        private string ReadString()
        {
            Advance();
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length || text[_pos] == '\n')
                {
                    throw Error("literal not terminated");
                }

                var c = text[_pos];
                Advance();
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c == '\\' && _pos < text.Length)
                {
                    var e = text[_pos];
                    Advance();
                    sb.Append(e switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        _ => e,
                    });
                    continue;
                }

                sb.Append(c);
            }
        }

        private void SkipTrivia()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (char.IsWhiteSpace(c))
                {
                    Advance();
                }
                else if (c == '#' || (c == '/' && At(1) == '/'))
                {
                    while (_pos < text.Length && text[_pos] != '\n')
                    {
                        Advance();
                    }
                }
                else if (c == '/' && At(1) == '*')
                {
                    var end = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw Error("comment not terminated");
                    }

                    while (_pos < end + 2)
                    {
                        Advance();
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private char At(int offset) => _pos + offset < text.Length ? text[_pos + offset] : '\0';

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private void Advance()
        {
            if (text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }

            _pos++;
        }

        // hcl's error format: "At LINE:COL: message".
        private FormatException Error(string message) =>
            new(string.Create(CultureInfo.InvariantCulture, $"At {_line}:{_column}: {message}"));
    }
}
