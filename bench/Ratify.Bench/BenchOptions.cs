namespace Ratify.Bench;

/// <summary>The command line: <c>[--json FILE] [--quick]</c>.</summary>
internal sealed record BenchOptions(string? JsonPath, bool Quick)
{
    public const string Usage = "usage: dotnet run -c Release --project bench/Ratify.Bench -- [--json FILE] [--quick]";

    /// <summary>The options, or null when the arguments are not understood.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        string? json = null;
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < args.Count:
                    json = args[++i];
                    break;
                default:
                    return null;
            }
        }

        return new BenchOptions(json, quick);
    }
}
