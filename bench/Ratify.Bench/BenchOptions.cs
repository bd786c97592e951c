namespace Ratify.Bench;

/// <summary>The command line: <c>[--json FILE] [--quick] [--only TEXT]</c>.</summary>
/// <param name="Only">Runs only the scenarios whose name contains this text (the baseline always runs).</param>
internal sealed record BenchOptions(string? JsonPath, bool Quick, string? Only = null)
{
    public const string Usage = "usage: dotnet run -c Release --project bench/Ratify.Bench -- [--json FILE] [--quick] [--only TEXT]";

    /// <summary>The options, or null when the arguments are not understood.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        string? json = null;
        string? only = null;
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
                case "--only" when i + 1 < args.Count:
                    only = args[++i];
                    break;
                default:
                    return null;
            }
        }

        return new BenchOptions(json, quick, only);
    }
}
