using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Metrics;

/// <summary>
/// Anonymous post-chat feedback: once per closed session, each answer adds one to its week's count. The session row
/// only learns that feedback was given (so it cannot be given twice); nothing records which answers it gave.
/// </summary>
public sealed class FeedbackService(IDbContextFactory<PeerLineDb> dbs, TimeProvider time, ILogger<FeedbackService> logger)
{
    /// <param name="answers">Question code → answer code; a question may be left out, at least one must be answered.</param>
    public async Task GiveAsync(string sessionId, IReadOnlyDictionary<string, string>? answers, CancellationToken ct)
    {
        if (answers is null || answers.Count == 0 || answers.Any(a => !IsAnswer(a.Key, a.Value)))
            throw new PeerLineException(ErrorCodes.InvalidArgument);
        var week = Weeks.StartOf(time.GetUtcNow()).ToUnixTimeMilliseconds();

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var first = await db.Sessions.Where(s => s.Id == sessionId && s.State == SessionState.Closed && s.ClaimedAt != null && !s.FeedbackGiven)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.FeedbackGiven, true), ct);
        if (first == 0) throw new PeerLineException(ErrorCodes.WrongState);
        foreach (var (question, answer) in answers)
        {
            var counted = await db.FeedbackCounts.Where(f => f.WeekStart == week && f.Question == question && f.Answer == answer)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.Count, f => f.Count + 1), ct);
            if (counted == 0) db.FeedbackCounts.Add(new FeedbackCount { WeekStart = week, Question = question, Answer = answer, Count = 1 });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        MetricsLog.FeedbackGiven(logger, answers.Count);
    }

    private static bool IsAnswer(string question, string answer) =>
        FeedbackQuestions.Answers.Any(q => q.Question == question && q.Answers.Contains(answer));
}

public static partial class MetricsLog
{
    [LoggerMessage(14001, LogLevel.Information, "Post-chat feedback given ({Answers} answers)")]
    public static partial void FeedbackGiven(ILogger logger, int answers);
}
