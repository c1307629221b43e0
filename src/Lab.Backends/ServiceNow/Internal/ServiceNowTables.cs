using System.Globalization;
using static OtelLab.Backends.ServiceNow.ChangeRequestValues;

namespace OtelLab.Backends.ServiceNow.Internal;

/// <summary>
/// The instance's records: <c>change_request</c>, <c>sysapproval_approver</c> and <c>sys_journal_field</c>, with the
/// business rules the change gate relies on (approvers at Assess, approve → Scheduled, reject → New, close needs
/// close_code and close_notes). Values are strings, as the Table API returns them.
/// </summary>
internal sealed class ServiceNowTables(TimeProvider time)
{
    public static readonly IReadOnlyList<string> Served = ["change_request", "sysapproval_approver", "sys_journal_field"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Dictionary<string, string>>> _tables = Served.ToDictionary(t => t, _ => new List<Dictionary<string, string>>(), StringComparer.Ordinal);
    private int _number = FirstNumber;

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Snapshot(string table)
    {
        lock (_lock)
        {
            return _tables[table].Select(r => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(r, StringComparer.Ordinal)).ToList();
        }
    }

    public IReadOnlyList<Dictionary<string, string>> Query(string table, IReadOnlyList<IReadOnlyList<Condition>> orGroups, IReadOnlyList<(string Field, bool Descending)> order)
    {
        lock (_lock)
        {
            IEnumerable<Dictionary<string, string>> rows = _tables[table].Where(r => EncodedQuery.Matches(r, orGroups));
            IOrderedEnumerable<Dictionary<string, string>>? sorted = null;
            foreach (var (field, desc) in order)
            {
                Func<Dictionary<string, string>, string> key = r => r.GetValueOrDefault(field, string.Empty);
                sorted = sorted is null
                    ? (desc ? rows.OrderByDescending(key, StringComparer.Ordinal) : rows.OrderBy(key, StringComparer.Ordinal))
                    : (desc ? sorted.ThenByDescending(key, StringComparer.Ordinal) : sorted.ThenBy(key, StringComparer.Ordinal));
            }

            return (sorted ?? rows).Select(r => new Dictionary<string, string>(r, StringComparer.Ordinal)).ToList();
        }
    }

    public Dictionary<string, string>? Get(string table, string sysId)
    {
        lock (_lock)
        {
            return _tables[table].FirstOrDefault(r => r["sys_id"] == sysId) is { } r ? new Dictionary<string, string>(r, StringComparer.Ordinal) : null;
        }
    }

    public Dictionary<string, string> Insert(string table, IReadOnlyDictionary<string, string> fields, string user)
    {
        lock (_lock)
        {
            var now = Now();
            var row = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["sys_id"] = Guid.NewGuid().ToString("N"),
                ["sys_created_on"] = now,
                ["sys_updated_on"] = now,
                ["sys_created_by"] = user,
                ["sys_updated_by"] = user,
            };
            if (table == "change_request")
            {
                row["number"] = "CHG" + _number++.ToString("D7", CultureInfo.InvariantCulture);
                row["state"] = New;
                row["approval"] = NotRequested;
                row["type"] = "normal";
                row["work_notes"] = string.Empty;
                row["close_code"] = string.Empty;
                row["close_notes"] = string.Empty;
            }

            _tables[table].Add(row);
            Write(table, row, fields, user);
            return new Dictionary<string, string>(row, StringComparer.Ordinal);
        }
    }

    /// <summary>Updates a record; null when it does not exist; throws <see cref="TableRuleException"/> when a rule refuses.</summary>
    public Dictionary<string, string>? Update(string table, string sysId, IReadOnlyDictionary<string, string> fields, string user)
    {
        lock (_lock)
        {
            if (_tables[table].FirstOrDefault(r => r["sys_id"] == sysId) is not { } row)
            {
                return null;
            }

            if (table == "change_request" && fields.TryGetValue("state", out var state) && state == Closed
                && (string.IsNullOrEmpty(Field(fields, row, "close_code")) || string.IsNullOrEmpty(Field(fields, row, "close_notes"))))
            {
                // UNCONFIRMED whether the Table API enforces it; the change process requires both to close.
                throw new TableRuleException("Data Policy Exception", "The following fields are mandatory: close_code, close_notes");
            }

            Write(table, row, fields, user);
            row["sys_updated_on"] = Now();
            row["sys_updated_by"] = user;
            return new Dictionary<string, string>(row, StringComparer.Ordinal);
        }
    }

    private static string? Field(IReadOnlyDictionary<string, string> fields, Dictionary<string, string> row, string name) =>
        fields.TryGetValue(name, out var v) ? v : row.GetValueOrDefault(name);

    private void Write(string table, Dictionary<string, string> row, IReadOnlyDictionary<string, string> fields, string user)
    {
        foreach (var (field, value) in fields)
        {
            if (field.StartsWith("sys_", StringComparison.Ordinal) || (table == "change_request" && field == "number"))
            {
                continue; // sys_* fields cannot be written (Table API)
            }

            if (field is "work_notes" or "comments")
            {
                // Journal fields read back "" on a plain GET; entries live in sys_journal_field.
                if (value.Length > 0)
                {
                    _tables["sys_journal_field"].Add(new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["sys_id"] = Guid.NewGuid().ToString("N"),
                        ["element_id"] = row["sys_id"],
                        ["element"] = field,
                        ["name"] = table,
                        ["value"] = value,
                        ["sys_created_on"] = Now(),
                        ["sys_created_by"] = user,
                    });
                }

                continue;
            }

            var before = row.GetValueOrDefault(field);
            row[field] = value;
            if (table == "change_request" && field == "state" && value == Assess && before != Assess)
            {
                // "Approval records are automatically generated based on the Assignment group" at Assess.
                row["approval"] = Requested;
                _tables["sysapproval_approver"].Add(new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["sys_id"] = Guid.NewGuid().ToString("N"),
                    ["state"] = Requested,
                    ["document_id"] = row["sys_id"],
                    ["sysapproval"] = row["sys_id"],
                    ["approver"] = row.GetValueOrDefault("assignment_group", "change-advisory-board"),
                    ["comments"] = string.Empty,
                    ["sys_created_on"] = Now(),
                });
            }

            if (table == "sysapproval_approver" && field == "state" && value is Approved or Rejected
                && _tables["change_request"].FirstOrDefault(c => c["sys_id"] == row["document_id"]) is { } change)
            {
                // "changes to the Scheduled state if it is approved or to New state if it is rejected".
                change["approval"] = value;
                change["state"] = value == Approved ? Scheduled : New;
                change["sys_updated_on"] = Now();
            }
        }
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

/// <summary>A business rule or data policy refused a write (403/400 with ServiceNow's error body).</summary>
internal sealed class TableRuleException(string message, string detail) : Exception(message)
{
    public string Detail { get; } = detail;
}
