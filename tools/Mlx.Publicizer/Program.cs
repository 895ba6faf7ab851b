using Mono.Cecil;

// Usage: Mlx.Publicizer <input.dll> <output.dll> [<input2.dll> <output2.dll> ...]
// Makes every type and every non-private member public. Private members stay private: exposing them
// would make derived classes in Mlx hide them (CS0108) and they are never needed.
if (args.Length == 0 || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: Mlx.Publicizer <input.dll> <output.dll> [...pairs]");
    return 2;
}

for (int i = 0; i < args.Length; i += 2)
{
    Publicize(args[i], args[i + 1]);
    Console.WriteLine($"Mlx.Publicizer: {Path.GetFileName(args[i])} -> {args[i + 1]}");
}
return 0;

static void Publicize(string input, string output)
{
    var resolver = new DefaultAssemblyResolver();
    resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input))!);
    using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });
    foreach (var type in assembly.MainModule.GetTypes())
    {
        MakePublic(type);
        foreach (var method in type.Methods)
        {
            if (!method.IsPrivate)
                method.IsPublic = true;
        }
        foreach (var field in type.Fields)
        {
            if (!field.IsPrivate)
                field.IsPublic = true;
        }
    }
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    var temp = output + ".tmp";
    assembly.Write(temp);
    File.Move(temp, output, overwrite: true);
}

static void MakePublic(TypeDefinition type)
{
    if (type.IsNested)
        type.IsNestedPublic = true;
    else
        type.IsPublic = true;
}
