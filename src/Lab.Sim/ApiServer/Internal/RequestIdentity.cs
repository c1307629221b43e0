using Microsoft.AspNetCore.Http;
using OtelLab.Model.Rbac;
using OtelLab.Sim.Vault;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// Who a request is: the admin (the kubeconfig's token) or a ServiceAccount
/// (a bearer token the reviewer accepts), kept in <see cref="HttpContext.Items"/> for the RBAC check.
/// </summary>
internal sealed class RequestIdentity(string adminToken)
{
    private const string SubjectKey = "otel-lab.subject";

    public string AdminToken => adminToken;

    public Func<string, TokenReviewStatus>? Reviewer { get; set; }

    public static RbacSubject? SubjectOf(HttpContext context) =>
        context.Items.TryGetValue(SubjectKey, out var s) ? (RbacSubject?)s : null;

    public bool Authenticate(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        // No credentials: refused, as by an API server started with --anonymous-auth=false (apiserver
        // pkg/endpoints/filters/authentication.go: no authenticator accepts the request → 401).
        if (authorization.Length == 0)
        {
            return false;
        }

        if (authorization == "Bearer " + adminToken)
        {
            return true;
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || Reviewer?.Invoke(authorization["Bearer ".Length..]) is not { Authenticated: true } review)
        {
            return false;
        }

        // system:serviceaccount:<ns>:<name>
        var parts = review.Username.Split(':');
        if (parts is not ["system", "serviceaccount", var ns, var name])
        {
            return false;
        }

        context.Items[SubjectKey] = new RbacSubject(ns, name);
        return true;
    }
}
