// The package ships no types; this is the part of its API the scaffolder uses.
declare module 'validate-npm-package-name' {
  function validate(name: string): { validForNewPackages: boolean; errors?: string[]; warnings?: string[] };
  export default validate;
}
