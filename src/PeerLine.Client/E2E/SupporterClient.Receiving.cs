using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.E2E;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.E2E;

/// <summary>The staff member's ordered receive path: envelopes, receipts, changes and views, in arrival order.</summary>
public sealed partial class SupporterClient
{
    private const string Unreadable = "rejected-message";

    private async Task OnEnvelopeAsync(ReceivedMessage message)
    {
        if (!_conversations.TryGetValue(message.SessionId, out var conversation) || conversation.Ended) return; // not (or no longer) ours
        if (Envelope.IsRestartRequest(message.Ciphertext) || !Envelope.TryUnwrap(message.Ciphertext, out var type, out _))
        {
            ChannelRefused?.Invoke(message.SessionId, Unreadable);
            await MarkHandledAsync(conversation, message.Seq);
        }
        else if (type == EnvelopeType.Handshake) await OnHandshakeAsync(conversation, message);
        else await OnTransportAsync(conversation, message);
    }

    /// <summary>
    /// Message 3 of the handshake under way (tried on a copy of it), or message 1 of a new one: the caller started over,
    /// so the current channel is given up and what it had not delivered waits for the new one (R5).
    /// </summary>
    private async Task OnHandshakeAsync(StaffConversation conversation, ReceivedMessage message)
    {
        string? code = null;
        bool started = false, refused = false;
        await conversation.Gate.WaitAsync();
        try
        {
            var lane = conversation.Lane;
            if (message.Seq <= lane.Record.LastOpenedSeq) return;
            lane.Record.LastOpenedSeq = message.Seq;
            if (lane.Record.Handshake is { } recipe
                && Handshakes.FinishAsStaff(
                    conversation.SessionId, conversation.Party, _deviceKey, recipe, message.Ciphertext, message.Seq) is { } channel)
            {
                lane.Establish(channel);
                code = channel.SafetyCode;
            }
            else if (Handshakes.AnswerAsStaff(conversation.SessionId, conversation.Party, _deviceKey, message.Ciphertext, message.Seq) is { } answer)
            {
                lane.Abandon(keepAsPrevious: false);
                lane.Record.Handshake = answer.Recipe;
                lane.Record.RestartRequested = false;
                lane.AddWire(answer.Message2);
                started = true;
            }
            else
            {
                refused = true; // written for another key (an earlier holder's), or for an attempt already replaced
            }
            await SaveAsync(conversation);
            lane.Kick();
        }
        finally
        {
            conversation.Gate.Release();
        }
        if (started) ResetEstablished(conversation.SessionId);
        if (code is not null) Pending(conversation.SessionId).TrySetResult(code);
        if (refused) ChannelRefused?.Invoke(conversation.SessionId, Unreadable);
    }

    /// <summary>
    /// R2: open, keep, hand over, then return (acknowledge). R3: what cannot be opened (this side has no channel for
    /// it) is acknowledged only once a restart request is stored, so the caller learns first that the channel is gone.
    /// </summary>
    private async Task OnTransportAsync(StaffConversation conversation, ReceivedMessage message)
    {
        PlaintextMessage? shown = null;
        Task<bool>? restartStored = null;
        var unreadable = false;
        await conversation.Gate.WaitAsync();
        try
        {
            var lane = conversation.Lane;
            var (outcome, id, content) = lane.Open(message.Ciphertext, message.Seq);
            if (outcome == OpenOutcome.Redelivered) return;
            if (outcome == OpenOutcome.Message)
            {
                lane.Record.LastOpenedSeq = message.Seq;
                if (!lane.Record.Seen.Contains(id))
                {
                    lane.Record.Seen.Add(id);
                    lane.Record.Unshown.Add(new UnshownMessage { Seq = message.Seq, MessageId = id, Content = content! });
                    shown = new PlaintextMessage(message.SessionId, message.Seq, id, content!);
                }
            }
            else
            {
                unreadable = true;
                if (lane.Record.Handshake is null) // a handshake under way is already the answer
                {
                    if (!lane.Record.RestartRequested) RequestRestart(lane);
                    restartStored = lane.WhenSent(lane.Record.RestartSeq);
                }
            }
            await SaveAsync(conversation);
            lane.Kick();
        }
        finally
        {
            conversation.Gate.Release();
        }
        if (shown is not null) await ShowAsync(conversation, shown);
        if (!unreadable) return;
        ChannelRefused?.Invoke(conversation.SessionId, Unreadable);
        if (restartStored is not null) await restartStored;
        await MarkHandledAsync(conversation, message.Seq);
    }

    /// <summary>Under the gate: this side has no channel the caller's messages can be read with; ask for a new handshake (once).</summary>
    private static void RequestRestart(ConversationLane lane)
    {
        lane.Abandon(keepAsPrevious: false);
        lane.Record.RestartRequested = true;
        lane.Record.RestartSeq = lane.AddWire(Envelope.RestartRequest());
    }

    private async Task ShowAsync(StaffConversation conversation, PlaintextMessage message)
    {
        if (MessageReceived is { } handler) await handler(message);
        await conversation.Gate.WaitAsync();
        try
        {
            conversation.Lane.Record.Unshown.RemoveAll(u => u.MessageId == message.MessageId);
            await SaveAsync(conversation);
        }
        finally
        {
            conversation.Gate.Release();
        }
    }

    private async Task MarkHandledAsync(StaffConversation conversation, long seq)
    {
        await conversation.Gate.WaitAsync();
        try
        {
            if (seq <= conversation.Lane.Record.LastOpenedSeq) return;
            conversation.Lane.Record.LastOpenedSeq = seq;
            await SaveAsync(conversation);
        }
        finally
        {
            conversation.Gate.Release();
        }
    }

    private async Task OnSignalAsync(RelaySignal signal)
    {
        switch (signal)
        {
            case ViewSignal view:
                await OnViewAsync(view.View);
                break;
            case HeldSessionsSignal held:
                foreach (var conversation in _conversations.Values.Where(c => !c.Ended && !held.SessionIds.Contains(c.SessionId)).ToList())
                    await EndAsync(conversation);
                // Lanes kept for sessions that ended (or moved on) while this client was away are erased too.
                var keep = held.SessionIds.Select(StoreKey).ToHashSet(StringComparer.Ordinal);
                foreach (var key in await _store.KeysAsync(_keyPrefix))
                    if (!keep.Contains(key)) await _store.DeleteAsync(key);
                break;
            case ReceiptSignal receipt when _conversations.TryGetValue(receipt.SessionId, out var conversation):
                await OnReceiptAsync(conversation, receipt.Receipt.UpToSeq);
                break;
            case ChangeSignal { Change: var change } when _conversations.TryGetValue(change.SessionId, out var conversation):
                if (change.State != SessionStates.Active || change.Reason == ChangeReasons.TransferredAway
                    || (change.Reason == ChangeReasons.LeadLeft && conversation.Party == Party.Lead))
                    await EndAsync(conversation);
                break;
            case PresenceSignal presence:
                CallerPresence?.Invoke(presence.Presence);
                break;
        }
    }

    private async Task OnReceiptAsync(StaffConversation conversation, long upToSeq)
    {
        List<Guid> delivered;
        await conversation.Gate.WaitAsync();
        try
        {
            if (conversation.Ended) return;
            delivered = conversation.Lane.Receipt(upToSeq);
            if (delivered.Count > 0) await SaveAsync(conversation);
        }
        finally
        {
            conversation.Gate.Release();
        }
        foreach (var id in delivered) Delivered?.Invoke(conversation.SessionId, id);
    }

    /// <summary>
    /// A session this staff member is in: its lane continues from the store (or starts empty), and R6 applies —
    /// resend what the server does not hold, start over (restart request) when the kept state is older than what was
    /// sent, take the receipt the view carries.
    /// </summary>
    private async Task OnViewAsync(SessionView view)
    {
        if (view.State != SessionStates.Active)
        {
            if (_conversations.TryGetValue(view.SessionId, out var gone)) await EndAsync(gone);
            return;
        }
        var conversation = await OpenAsync(view);
        List<Guid> delivered = [];
        await conversation.Gate.WaitAsync();
        try
        {
            var lane = conversation.Lane;
            var fresh = lane.Confirm(view.LastSentSeq);
            if (!fresh || lane.Halted)
            {
                lane.DropUnsent(view.LastSentSeq, keepAsPrevious: false);
                RequestRestart(lane);
            }
            else if (lane.Channel is null && lane.Record.Handshake is null && !lane.Record.RestartRequested
                && (view.LastSentSeq > 0 || view.LastReceivedSeq > 0))
            {
                // A channel existed (messages went both ways) that this side does not have (an empty store, or a
                // transfer to this staff member): ask at once rather than wait for the caller to write.
                RequestRestart(lane);
            }
            if (lane.Channel is not null) delivered = lane.Receipt(view.PeerReceivedSeq);
            await SaveAsync(conversation);
            lane.Kick();
        }
        finally
        {
            conversation.Gate.Release();
        }
        foreach (var id in delivered) Delivered?.Invoke(conversation.SessionId, id);
    }

    /// <summary>The conversation of a session: the one already open, the one kept in the store, or a new one.</summary>
    private async Task<StaffConversation> OpenAsync(SessionView view)
    {
        if (_conversations.TryGetValue(view.SessionId, out var open) && !open.Ended) return open;
        var key = StoreKey(view.SessionId);
        var record = StateJson.Read<StaffRecord>(await _store.LoadAsync(key));
        record ??= new StaffRecord
        {
            SessionId = view.SessionId,
            Lane = new LaneRecord { LastSealedSeq = view.LastSentSeq, LastOpenedSeq = view.LastReceivedSeq },
        };
        var conversation = new StaffConversation(view.SessionId, key, record, view.Role == SessionRoles.Lead ? Party.Lead : Party.Supporter);
        conversation.Lane = new ConversationLane(record.Lane, conversation.Gate,
            (seq, relayId, envelope, ct) => _relay.SendSealedAsync(view.SessionId, relayId, seq, envelope, ct),
            code =>
            {
                ChannelRefused?.Invoke(view.SessionId, code);
                _ = Task.Run(RefreshAfterRefusalAsync);
            });
        _conversations[view.SessionId] = conversation;
        if (conversation.Lane.Channel?.SafetyCode is { } code)
        {
            ResetEstablished(view.SessionId);
            Pending(view.SessionId).TrySetResult(code);
        }
        _known.GetOrAdd(view.SessionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        // After a restart: what was kept but not yet handed to the application goes first.
        foreach (var kept in record.Lane.Unshown.ToList())
            await ShowAsync(conversation, new PlaintextMessage(view.SessionId, kept.Seq, kept.MessageId, kept.Content));
        return conversation;
    }

    private async Task RefreshAfterRefusalAsync()
    {
        try
        {
            await _relay.RefreshSessionsAsync();
        }
        catch (Exception)
        {
            // Disposed, or down: the next rejoin brings the views.
        }
    }
}
