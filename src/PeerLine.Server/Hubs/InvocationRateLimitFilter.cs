using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;

namespace PeerLine.Server.Hubs;

/// <summary>
/// A token bucket per connection. The HTTP rate limiter only sees the negotiate and upgrade requests; this sees
/// every invocation on an open connection.
/// </summary>
public sealed class InvocationRateLimitFilter(IOptions<HubLimitsOptions> options, ILogger<InvocationRateLimitFilter> logger) : IHubFilter
{
    private const string BucketKey = "rate-bucket";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var bucket = (RateLimiter)invocationContext.Context.Items[BucketKey]!;
        using var lease = bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            HubLog.Throttled(logger, invocationContext.HubMethodName);
            throw new HubException(ErrorCodes.RateLimited);
        }
        return await next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var o = options.Value;
        context.Context.Items[BucketKey] = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.InvocationBurst,
            TokensPerPeriod = o.InvocationsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.TryGetValue(BucketKey, out var bucket)) (bucket as IDisposable)?.Dispose();
        await next(context, exception);
    }
}
