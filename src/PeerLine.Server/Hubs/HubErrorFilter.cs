using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;

namespace PeerLine.Server.Hubs;

/// <summary>
/// Expected refusals reach the client as their code and are counted by <see cref="RefusalLog"/> (a client can cause
/// them at will, so they must not cost a log line each); anything else reaches it as "internal", logged by kind only.
/// Neither the arguments nor the exception message are logged: they may hold what a client sent.
/// </summary>
public sealed class HubErrorFilter(RefusalLog refusals, ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (PeerLineException e)
        {
            refusals.Note(invocationContext.HubMethodName, e.Code);
            throw new HubException(e.Code);
        }
        catch (HubException)
        {
            throw;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another node or the relay writer changed the same session first: nothing was applied, try again.
            refusals.Note(invocationContext.HubMethodName, ErrorCodes.Unavailable);
            throw new HubException(ErrorCodes.Unavailable);
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw new HubException(ErrorCodes.Unavailable);
        }
        catch (Exception e)
        {
            HubLog.Failed(logger, invocationContext.HubMethodName, e.GetType().Name);
            throw new HubException(ErrorCodes.Internal);
        }
    }
}
