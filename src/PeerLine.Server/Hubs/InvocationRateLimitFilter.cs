using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;

namespace PeerLine.Server.Hubs;

/// <summary>
/// A token bucket per connection. The HTTP rate limiter only sees the negotiate and upgrade requests; this sees
/// every invocation on an open connection. Refusals are counted, not logged one by one, and a connection refused
/// more than <see cref="HubLimitsOptions.CloseAfterRefusals"/> times in one refusal-log window is closed: a client
/// that keeps calling after <c>rate-limited</c> is not pausing as the protocol asks.
/// </summary>
public sealed class InvocationRateLimitFilter(IOptions<HubLimitsOptions> options, RefusalLog refusals, TimeProvider time) : IHubFilter
{
    private const string BucketKey = "rate-bucket";
    private const string RefusalsKey = "rate-refusals";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var bucket = (RateLimiter)context.Items[BucketKey]!;
        using var lease = bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            refusals.Note(invocationContext.HubMethodName, ErrorCodes.RateLimited);
            var o = options.Value;
            var window = TimeSpan.FromSeconds(o.RefusalLogWindowSeconds);
            if (((RefusalCount)context.Items[RefusalsKey]!).Add(time.GetUtcNow(), window) > o.CloseAfterRefusals) context.Abort();
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
        context.Context.Items[RefusalsKey] = new RefusalCount();
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.TryGetValue(BucketKey, out var bucket)) (bucket as IDisposable)?.Dispose();
        await next(context, exception);
    }

    /// <summary>Refusals of one connection in the window that began with the first of them.</summary>
    private sealed class RefusalCount
    {
        private DateTimeOffset _windowStart;
        private int _count;

        public int Add(DateTimeOffset now, TimeSpan window)
        {
            lock (this)
            {
                if (_count == 0 || now - _windowStart >= window)
                {
                    _windowStart = now;
                    _count = 0;
                }
                return ++_count;
            }
        }
    }
}
