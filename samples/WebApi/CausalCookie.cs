using Switchboard;

namespace WebApi;

/// <summary>
/// Read-your-writes across requests (and across instances behind a load balancer) when connections have replicas: each
/// request resumes the writes named by its cookie (<see cref="ConnectionManager.ContinueAfter"/>), and a request that
/// wrote sends back <see cref="ConnectionManager.CausalToken"/>. Without replicas there is never a token, so no cookie.
/// </summary>
public static class CausalCookie
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "switchboard-causal";

    /// <summary>How long the cookie lives: longer than replicas are expected to lag, after which it matters no more.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Adds the middleware; place it before the endpoints.</summary>
    public static IApplicationBuilder UseCausalCookie(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var sent = false;
        void Send()
        {
            // Read in the request's flow: the endpoint's writes were recorded in the session ContinueAfter started.
            if (!sent && ConnectionManager.CausalToken is { } token)
            {
                sent = true;
                context.Response.Cookies.Append(Name, token, new CookieOptions
                {
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Lax,
                    MaxAge = Lifetime,
                });
            }
        }

        using (Continue(context))
        {
            context.Response.OnStarting(() =>
            {
                Send();
                return Task.CompletedTask;
            });
            await next(context);

            // A response with no body starts after the pipeline returns, outside this flow: send the cookie now.
            if (!context.Response.HasStarted)
            {
                Send();
            }
        }
    });

    private static IDisposable Continue(HttpContext context)
    {
        var cookie = context.Request.Cookies[Name];
        try
        {
            return ConnectionManager.ContinueAfter(cookie);
        }
        catch (ArgumentException)
        {
            // Not a token Switchboard made (edited, or from another application): ignore it rather than fail the request.
            context.Response.Cookies.Delete(Name);
            return ConnectionManager.ContinueAfter(null);
        }
    }
}
