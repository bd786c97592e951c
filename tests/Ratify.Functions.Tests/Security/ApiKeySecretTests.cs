using Ratify.Functions.Security;

namespace Ratify.Functions.Tests.Security;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void Generate_Always_PrefixAnd43UrlSafeCharacters()
    {
        var secrets = Enumerable.Range(0, 100).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.All(secrets, s =>
        {
            Assert.StartsWith("sk_ratify_", s, StringComparison.Ordinal);
            Assert.Equal(10 + 43, s.Length);
            Assert.True(ApiKeySecret.IsWellFormed(s));
        });
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sk_ratify_")]
    [InlineData("sk_ratify_short")]
    [InlineData("pk_ratify_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("sk_ratify_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+")]
    [InlineData("sk_ratify_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ")]
    public void IsWellFormed_Malformed_False(string? value) => Assert.False(ApiKeySecret.IsWellFormed(value));

    [Fact]
    public void IsWellFormed_TooLong_False() => Assert.False(ApiKeySecret.IsWellFormed("sk_ratify_" + new string('a', 201)));

    [Fact]
    public void Hash_Secret_LowercaseHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeySecret.Hash("abc"));
    }

    [Fact]
    public void DisplayPrefix_Secret_PrefixAndFourCharacters()
    {
        Assert.Equal("sk_ratify_ab12…", ApiKeySecret.DisplayPrefix("sk_ratify_ab12cdefghijklmnopqrstuvwxyzabcdefghijklmnopq"));
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("acme-corp_2", true)]
    [InlineData("", false)]
    [InlineData("Acme", false)]
    [InlineData("-acme", false)]
    [InlineData("tenant:x", false)]
    public void Tenants_IsValidId_Cases(string tenantId, bool valid) => Assert.Equal(valid, Tenants.IsValidId(tenantId));
}
