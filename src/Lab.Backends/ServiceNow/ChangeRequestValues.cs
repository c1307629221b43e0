namespace OtelLab.Backends.ServiceNow;

/// <summary>
/// The <c>change_request</c> values the mock follows, in one place (ServiceNow docs, change-management
/// c_ChangeStateModel.md; the same mapping as the servicenow.itsm Ansible collection). Marked where no source backs
/// the choice.
/// </summary>
public static class ChangeRequestValues
{
    // state (normal change): New → Assess → Authorize → Scheduled → Implement → Review → Closed; Canceled.
    public const string New = "-5";
    public const string Assess = "-4";
    public const string Authorize = "-3";
    public const string Scheduled = "-2";
    public const string Implement = "-1";
    public const string Review = "0";
    public const string Closed = "3";
    public const string Canceled = "4";

    // approval: a new change is "not requested"; the Approval State choices (requested, approved, rejected …).
    public const string NotRequested = "not requested";
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>close_code choices: successful | successful_issues | unsuccessful.</summary>
    public static readonly IReadOnlyList<string> CloseCodes = ["successful", "successful_issues", "unsuccessful"];

    /// <summary>
    /// The first number handed out: <c>CHG</c> + 7 digits (auto-numbering's default width). UNCONFIRMED: the start
    /// value (docs show CHG0030001 on a used instance); the mock starts at 1000.
    /// </summary>
    public const int FirstNumber = 1000;
}
