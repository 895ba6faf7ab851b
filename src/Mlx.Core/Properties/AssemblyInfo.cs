using System.Runtime.CompilerServices;

// The packages of the extension pack derive from Core's component bases, whose hooks are internal
// so that ML.NET's internal types stay out of the public API.
[assembly: InternalsVisibleTo("Mlx.FeatureEngineering")]
[assembly: InternalsVisibleTo("Mlx.Estimators")]
[assembly: InternalsVisibleTo("Mlx.Vision")]
[assembly: InternalsVisibleTo("Mlx.Workflow")]
[assembly: InternalsVisibleTo("Mlx.Core.Tests")]
