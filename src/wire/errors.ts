/** The OpenAI error envelope every Breakwater HTTP error uses. */
export interface ErrorEnvelope {
  error: { message: string; type: string; code: string; param: string | null };
}
