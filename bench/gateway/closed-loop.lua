-- closed-loop.lua: saturation load. Every connection sends its next request as soon as the
-- previous answer arrives. No response() hook on purpose: defining one makes wrk copy every
-- header and body into Lua, which would steal CPU from the servers on this 2-core machine.
-- Inputs and output: see chat-request.lua.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "chat-request.lua")
