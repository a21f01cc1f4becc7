// Svelte 5 in runes mode everywhere; TypeScript in <script lang="ts"> is understood natively.
export default {
  compilerOptions: { runes: true },
};
