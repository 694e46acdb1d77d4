// Prettier for JS, XML, SCSS, Markdown and YAML, after the OCA 18.0 template (it completes these
// settings with .editorconfig). A .cjs file, not .yml: require.resolve finds the XML plugin in
// the environment pre-commit installs it into. XML whitespace is "preserve" (as OCA 18): "ignore"
// would re-wrap the text of <field> elements and so change the values and terms they load.
/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    bracketSameLine: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
