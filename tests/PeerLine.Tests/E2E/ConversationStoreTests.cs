using PeerLine.Client.State;

namespace PeerLine.Tests.E2E;

/// <summary>The stores a client keeps its conversations in: the file store is owner-only and replaces whole files.</summary>
public sealed class ConversationStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"), "store");

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task FileStore_SaveLoadReplaceDelete_OwnerOnly_NoTemporaryFilesLeft()
    {
        var store = new FileConversationStore(_directory);
        Assert.Null(await store.LoadAsync("caller"));

        await store.SaveAsync("caller", [1, 2, 3]);
        await store.SaveAsync("staff-ab-s1", [4]);
        await store.SaveAsync("caller", [5, 6]);

        Assert.Equal([5, 6], await new FileConversationStore(_directory).LoadAsync("caller")); // a new instance: as after a restart
        Assert.Equal(["staff-ab-s1"], await store.KeysAsync("staff-"));
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
            foreach (var file in Directory.GetFiles(_directory))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        await store.DeleteAsync("caller");
        Assert.Null(await store.LoadAsync("caller"));
        await store.DeleteAsync("caller"); // deleting what is gone is fine
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task KeysThatAreNotPlainFileNames_AreRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new FileConversationStore(_directory).SaveAsync(key, [1]));
        await Assert.ThrowsAsync<ArgumentException>(() => new MemoryConversationStore().SaveAsync(key, [1]));
    }

    [Fact]
    public async Task MemoryStore_KeepsCopies()
    {
        var store = new MemoryConversationStore();
        var bytes = new byte[] { 1, 2 };
        await store.SaveAsync("k", bytes);
        bytes[0] = 9;
        Assert.Equal([1, 2], await store.LoadAsync("k"));
    }
}
