using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Audit;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Metrics;

/// <summary>Two coded questions after an answered chat: counted per week, once, and linked to nothing.</summary>
public sealed class PostChatFeedbackTests : AppScenario
{
    private static readonly Dictionary<string, string> Answers = new()
    {
        [FeedbackQuestions.Helped] = "somewhat",
        [FeedbackQuestions.WouldReturn] = "yes",
    };

    [Fact]
    public async Task AfterAnAnsweredChat_AnswersCountedOnce_NothingLinksThemToTheSession()
    {
        await using var supporter = await App.SupporterOnShiftAsync("sam");
        await using var caller = await App.RequestSupportAsync();
        var view = await supporter.ClaimNextAsync().Within();
        var before = await Assert.ThrowsAsync<RelayException>(() => caller.GiveFeedbackAsync(Answers).Within());
        Assert.Equal(ErrorCodes.WrongState, before.Code);
        await supporter.CloseAsync(view.SessionId, Dispositions.Supported).Within();

        await caller.GiveFeedbackAsync(Answers).Within();
        var again = await Assert.ThrowsAsync<RelayException>(() => caller.GiveFeedbackAsync(Answers).Within());

        Assert.Equal(ErrorCodes.WrongState, again.Code);
        var counts = await App.DbAsync(db => db.FeedbackCounts.OrderBy(f => f.Question).ToListAsync());
        Assert.Equal([(FeedbackQuestions.Helped, "somewhat", 1L), (FeedbackQuestions.WouldReturn, "yes", 1L)],
            counts.Select(c => (c.Question, c.Answer, c.Count)));
        Assert.Equal(0, counts[0].WeekStart % (24 * 3_600_000L));
        using var auditor = await App.AuditorAsync();
        Assert.DoesNotContain(await auditor.EventsAsync(), e => e.Fields.Values.Any(v => v.ToString() is "somewhat" or "yes"));
    }

    [Fact]
    public async Task OneQuestionMayBeSkipped_UnknownCodesAndWithdrawnRequestsRefused()
    {
        await using var supporter = await App.SupporterOnShiftAsync("sam");
        await using var answered = await App.RequestSupportAsync();
        await supporter.ClaimNextAsync().Within();
        await answered.EndAsync().Within();
        await using var withdrawn = await App.RequestSupportAsync();
        await withdrawn.EndAsync().Within();

        var badAnswer = await Assert.ThrowsAsync<RelayException>(() =>
            answered.GiveFeedbackAsync(new Dictionary<string, string> { [FeedbackQuestions.Helped] = "very much so" }).Within());
        var badQuestion = await Assert.ThrowsAsync<RelayException>(() =>
            answered.GiveFeedbackAsync(new Dictionary<string, string> { ["name"] = "yes" }).Within());
        var none = await Assert.ThrowsAsync<RelayException>(() => answered.GiveFeedbackAsync(new Dictionary<string, string>()).Within());
        var neverAnswered = await Assert.ThrowsAsync<RelayException>(() => withdrawn.GiveFeedbackAsync(Answers).Within());
        await answered.GiveFeedbackAsync(new Dictionary<string, string> { [FeedbackQuestions.Helped] = "no" }).Within();

        Assert.All([badAnswer, badQuestion, none], e => Assert.Equal(ErrorCodes.InvalidArgument, e.Code));
        Assert.Equal(ErrorCodes.WrongState, neverAnswered.Code);
        Assert.Equal(1, await App.DbAsync(db => db.FeedbackCounts.SumAsync(f => f.Count)));
    }
}
